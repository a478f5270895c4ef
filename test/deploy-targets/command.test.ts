import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { createCommandTarget } from '../../src/deploy-targets/command/index.js'
import { createTarget } from '../../src/deploy-targets/index.js'
import { pidAlive } from '../../src/utils/processes.js'
import { targetSchema, type CommandTargetConfig } from '../../src/deploy-targets/schemas.js'
import { silentLogger } from '../../src/logger.js'
import { tempProject } from '../helpers/project.js'
import { calls, context, fakeCli, release } from './helpers.js'

/** The Railway example's target (examples/railway/shipgate.yaml). */
const railway = (extra: Partial<CommandTargetConfig> = {}): CommandTargetConfig => ({
  type: 'command',
  url: 'https://agent.up.railway.app',
  verify: 'railway whoami',
  deploy: 'railway up --service agent --detach',
  rollback: 'railway rollback --service agent',
  setVariables: 'railway variables set {{ key }}={{ value }} --service agent',
  timeout: '10m',
  env: ['RAILWAY_TOKEN'],
  ...extra,
})

const RAILWAY = `
if (args[0] === 'fail') { process.stderr.write('x'.repeat(9000) + 'boom: service not found\\n'); process.exit(3) }
if (args[0] === 'sleep') { fs.writeFileSync(args[1], String(process.pid)); setInterval(() => {}, 1000) }
`

function setup(extra: Partial<CommandTargetConfig> = {}) {
  const dir = tempProject({})
  const bin = fakeCli(dir, 'railway', RAILWAY, ['RAILWAY_TOKEN', 'NOT_LISTED'])
  const ctx = context(dir, {
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    HOME: dir,
    RAILWAY_TOKEN: 'rw-token-123',
    NOT_LISTED: 'must-not-leak',
  })
  const target = createCommandTarget('railway', railway(extra), { logger: silentLogger })
  return { dir, ctx, target }
}

const A = release('rel-aaaaaaaaaaaa', { name: 'v1.0.0' })
const B = release('rel-bbbbbbbbbbbb', { name: 'v1.1.0', env: { PROMPT_VERSION: 'v2' } })

describe('the command target, driving a fake railway CLI', () => {
  it('deploys, rolls back and sets variables with the Railway commands, in the config directory', async () => {
    const { dir, ctx, target } = setup()
    expect(await target.apply({ deploymentId: 'd1', release: B, previous: A }, ctx)).toEqual({
      ok: true,
      detail: 'railway up --service agent --detach',
    })
    expect((await target.rollback(B, A, ctx)).ok).toBe(true)
    const set = await target.setVariables?.({ PROMPT_VERSION: 'v1', MODEL_VERSION: 'm-1' }, ctx)
    expect(set).toEqual({ ok: true, detail: 'set PROMPT_VERSION=v1, MODEL_VERSION=m-1' })
    const recorded = calls(dir, 'railway')
    expect(recorded.map((c) => c.args)).toEqual([
      ['up', '--service', 'agent', '--detach'],
      ['rollback', '--service', 'agent'],
      ['variables', 'set', 'PROMPT_VERSION=v1', '--service', 'agent'],
      ['variables', 'set', 'MODEL_VERSION=m-1', '--service', 'agent'],
    ])
    expect(recorded.every((c) => c.cwd === dir)).toBe(true)
  })

  it('passes only the variables named in env (plus PATH and HOME)', async () => {
    const { dir, ctx, target } = setup()
    await target.apply({ deploymentId: 'd1', release: A, previous: null }, ctx)
    expect(calls(dir, 'railway')[0]?.env).toEqual({
      RAILWAY_TOKEN: 'rw-token-123',
      NOT_LISTED: null,
    })
  })

  it('renders release, previous, version and env into the commands', async () => {
    const { dir, ctx, target } = setup({
      deploy:
        'railway up {{ version }} {{ release.id }} {{ previous.id }} {{ release.code.commit }} {{ env.PROMPT_VERSION }} {{ percent }}',
      rollback: 'railway rollback {{ release.id }} {{ previous.id }} {{ version }}',
    })
    await target.apply({ deploymentId: 'd1', release: B, previous: A }, ctx)
    await target.rollback(B, A, ctx)
    expect(calls(dir, 'railway').map((c) => c.args)).toEqual([
      ['up', 'v1.1.0', B.id, A.id, 'abc123def456', 'v2', '100'],
      ['rollback', B.id, A.id, 'v1.1.0'],
    ])
  })

  it('plans the rendered commands without running any', async () => {
    const { dir, ctx, target } = setup({
      deploy: 'railway up --service agent --message {{ version }}',
    })
    const plan = await target.plan({ deploymentId: 'd1', release: B, previous: A }, ctx)
    expect(plan.actions).toEqual(['railway up --service agent --message v1.1.0'])
    expect(calls(dir, 'railway')).toEqual([])
  })

  it('turns a non-zero exit into a failed step with the end of stderr', async () => {
    const { ctx, target } = setup({ deploy: 'railway fail' })
    const outcome = await target.apply({ deploymentId: 'd1', release: A, previous: null }, ctx)
    expect(outcome).toMatchObject({ ok: false, reason: 'railway fail: exited with code 3' })
    const detail = outcome.ok ? '' : (outcome.detail ?? '')
    expect(detail.endsWith('boom: service not found')).toBe(true)
    expect(detail.length).toBeLessThanOrEqual(4096)
  })

  it('kills a command that runs past the timeout, with its process group', async () => {
    const { dir, ctx, target } = setup({ deploy: 'railway sleep pid.txt', timeout: '1s' })
    const started = Date.now()
    const outcome = await target.apply({ deploymentId: 'd1', release: A, previous: null }, ctx)
    expect(outcome).toMatchObject({
      ok: false,
      reason: 'railway sleep pid.txt: timed out after 1s',
    })
    expect(Date.now() - started).toBeLessThan(5_000)
    const pid = Number(readFileSync(join(dir, 'pid.txt'), 'utf8'))
    expect(pidAlive(pid)).toBe(false)
  })

  it('stops a running command when the signal aborts', async () => {
    const { dir, target } = setup({ deploy: 'railway sleep pid.txt' })
    const controller = new AbortController()
    const ctx = context(
      dir,
      { PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}` },
      controller.signal,
    )
    const running = target.apply({ deploymentId: 'd1', release: A, previous: null }, ctx)
    while (!existsSync(join(dir, 'pid.txt'))) await new Promise((r) => setTimeout(r, 20))
    controller.abort()
    expect(await running).toMatchObject({ ok: false, reason: 'railway sleep pid.txt: aborted' })
  })

  it('reports an unknown template variable as a failed step, not a throw', async () => {
    const { dir, ctx, target } = setup({ deploy: 'railway up {{ release.nope }}' })
    const outcome = await target.apply({ deploymentId: 'd1', release: A, previous: null }, ctx)
    expect(outcome.ok).toBe(false)
    expect(outcome.ok ? '' : outcome.reason).toMatch(/undefined variable/)
    expect(calls(dir, 'railway')).toEqual([])
  })

  it('verifies with the verify command, and offers shiftTraffic only when configured', async () => {
    const { dir, ctx, target } = setup()
    expect(await target.verify(ctx)).toEqual({ ok: true, detail: 'railway whoami' })
    expect(calls(dir, 'railway').map((c) => c.args)).toEqual([['whoami']])
    expect(target.shiftTraffic).toBeUndefined()
    const shifting = setup({ shiftTraffic: 'railway traffic {{ percent }}' })
    expect(
      (
        await shifting.target.shiftTraffic?.(
          { deploymentId: 'd', release: B, previous: A },
          25,
          shifting.ctx,
        )
      )?.ok,
    ).toBe(true)
    expect(calls(shifting.dir, 'railway').map((c) => c.args)).toEqual([['traffic', '25']])
    expect(await target.url(ctx)).toBe('https://agent.up.railway.app')
  })

  it('refuses a template that does not parse when the target is created', async () => {
    await expect(
      createTarget('bad', railway({ deploy: 'railway up {{ version' }), { logger: silentLogger }),
    ).rejects.toThrow()
  })

  it('runs the Railway example as written in examples/railway/shipgate.yaml', async () => {
    const file = fileURLToPath(new URL('../../examples/railway/shipgate.yaml', import.meta.url))
    const yaml = parse(readFileSync(file, 'utf8')) as { targets: { production: unknown } }
    const parsed = targetSchema.safeParse(yaml.targets.production)
    expect(parsed.success).toBe(true)
    if (!parsed.success || parsed.data.type !== 'command') return
    const { dir, ctx } = setup()
    const target = createCommandTarget('production', parsed.data, { logger: silentLogger })
    expect((await target.verify(ctx)).ok).toBe(true)
    expect((await target.apply({ deploymentId: 'd1', release: B, previous: A }, ctx)).ok).toBe(true)
    expect((await target.rollback(B, A, ctx)).ok).toBe(true)
    expect((await target.setVariables?.({ PROMPT_VERSION: 'v1' }, ctx))?.ok).toBe(true)
    expect(calls(dir, 'railway').map((c) => c.args)).toEqual([
      ['whoami'],
      ['up', '--service', 'agent', '--detach', '--message', `v1.1.0 (${B.id})`],
      ['rollback', '--service', 'agent'],
      ['variables', 'set', 'PROMPT_VERSION=v1', '--service', 'agent'],
    ])
  })
})
