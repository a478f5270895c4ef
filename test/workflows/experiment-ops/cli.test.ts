import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { SampleEvent } from '@shipgate/runtime/experiments'
import { judge, ship, start, stop } from '../../../src/cli/commands/experiment-ops.js'
import { defineGroup } from '../../../src/cli/define.js'
import type { CommandIO } from '../../../src/cli/io.js'
import { ShipgateError } from '../../../src/errors.js'
import { silentLogger } from '../../../src/logger.js'
import { openStore } from '../../../src/stores/index.js'
import { startFakeOpenAI } from '../../fakes/openai.js'
import type { FakeServer } from '../../fakes/server.js'
import { tempProject } from '../../helpers/project.js'
import { configYaml, experimentYaml, flagProject } from './fixtures.js'

/*
 * The four commands in process, in a group as the `experiment` group will list them: their
 * text and JSON output, exit codes, and refusals as the coded errors cli/main maps to exit 2.
 */

const servers: FakeServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

interface Ran {
  readonly code: number
  readonly stdout: string
}

async function cli(cwd: string, ...argv: string[]): Promise<Ran> {
  let stdout = ''
  let code = -1
  const io: CommandIO = {
    cwd,
    env: { USER: 'cli-user', OPENAI_API_KEY: 'test-key' },
    stdout: (text) => (stdout += text),
    stderr: () => {},
    stderrIsTTY: false,
    columns: undefined,
    logger: silentLogger,
    signal: new AbortController().signal,
  }
  const group = defineGroup({ name: 'experiment', description: 'test' }, [
    judge,
    start,
    ship,
    stop,
  ]).build(io, (c) => (code = c))
  group.exitOverride()
  await group.parseAsync(argv, { from: 'user' })
  return { code, stdout }
}

async function refused(promise: Promise<unknown>): Promise<ShipgateError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (error instanceof ShipgateError) return error
  throw new Error(`expected a ShipgateError, got ${String(error)}`)
}

describe('shipgate experiment start|ship|stop', () => {
  it('prints each change, whom it moves and the release', async () => {
    const dir = flagProject()
    const started = await cli(dir, 'start', 'checkout', '--reason', 'plan approved')
    expect(started.code).toBe(0)
    expect(started.stdout).toContain(
      `experiment checkout start: flag prompt in ${join(dir, 'flags.json')}\n  set: v2 50%, v1 50% by targetingKey, default v1\nmoves 50% of users from v1 to v2\nrecorded in ${join(dir, 'flags.history.jsonl')}`,
    )

    const dry = await cli(dir, 'ship', 'checkout', '--variant', 'v2', '--dry-run', '--json')
    expect(dry.code).toBe(0)
    const planned = JSON.parse(dry.stdout) as { dryRun: boolean; changes: unknown[] }
    expect(planned.dryRun).toBe(true)
    expect(planned.changes).toHaveLength(2)

    const bad = await refused(cli(dir, 'ship', 'checkout', '--variant', 'v9'))
    expect(bad.exitCode).toBe(2)
    expect(bad.message).toContain('(its variants: v1, v2)')

    const shipped = await cli(dir, 'ship', 'checkout', '--variant', 'v2')
    expect(shipped.code).toBe(0)
    expect(shipped.stdout).toContain('  ramp: v2 50% → 100% (from v1)\n')
    expect(shipped.stdout).toMatch(/release rel-[0-9a-f]{12} \(experiment-checkout-v2\) recorded/)

    const stopped = await cli(dir, 'stop', 'checkout')
    expect(stopped.stdout).toContain(
      'moves 100% of users from v2 to v1: a stop returns everyone to control',
    )
  })
})

describe('shipgate experiment judge', () => {
  it('prints the mean per variant, and exits 1 while samples failed', async () => {
    let failing = true
    const fake = await startFakeOpenAI({
      reply: ({ body }) => {
        const text = JSON.stringify(body)
        if (failing && text.includes('#2')) return { kind: 'error', status: 500 }
        const score = text.includes('of v2') ? 0.75 : 0.25
        return {
          kind: 'text',
          text: JSON.stringify({ reason: 'ok', pass: true, score }),
          usage: { input: 10, output: 5 },
        }
      },
    })
    servers.push(fake)
    const dir = tempProject({
      'shipgate.yaml': configYaml(
        experimentYaml('checkout', '{ v1: 1, v2: 1 }', '    judge: { rubric: "Is correct" }\n'),
        'judge: grader\nrunner: { backoffMs: 1, retries: 0 }\n',
        `providers:\n  grader: { type: openai, model: gpt-4o-mini, baseUrl: ${fake.url}/v1 }\n`,
      ),
      'flags.json': '{ "flags": {} }\n',
    })
    const store = await openStore(join(dir, '.shipgate/shipgate.db'), dir)
    const samples: SampleEvent[] = [1, 2, 3].map((i) => ({
      v: 1,
      type: 'sample',
      id: `s${i}`,
      experiment: 'checkout',
      variant: i === 1 ? 'v1' : 'v2',
      user: `u${i}`,
      at: '2026-12-01T00:00:00.000Z',
      input: 'q',
      output: `answer #${i} of ${i === 1 ? 'v1' : 'v2'}`,
    }))
    await store.experimentEvents.append(samples)
    await store.close()

    const first = await cli(dir, 'judge', 'checkout')
    expect(first.code).toBe(1)
    expect(first.stdout).toContain(
      'checkout: graded 2 of 3 samples with openai:gpt-4o-mini as judge_score; 0 already graded, 1 failed (left for the next run)',
    )
    expect(first.stdout).toMatch(/^failed: s2 \(v2\): judge error: /m)
    failing = false
    const second = await cli(dir, 'judge', 'checkout', '--json')
    expect(second.code).toBe(0)
    const report = JSON.parse(second.stdout) as { graded: number; skipped: number }
    expect(report).toMatchObject({ graded: 1, skipped: 2 })
    const text = await cli(dir, 'judge', 'checkout')
    expect(text.stdout).toMatch(/v1\s+1\s+0\.250\nv2\s+2\s+0\.750/)
  })
})
