import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ConfigInput } from '../../../src/config/schema.js'
import { ConfigError } from '../../../src/errors.js'
import { silentLogger } from '../../../src/logger.js'
import type { FunctionCall } from '../../../src/providers/function/index.js'
import { openStore } from '../../../src/stores/index.js'
import { canonicalJson, sha256 } from '../../../src/utils/hash.js'
import { evaluate } from '../../../src/workflows/eval/index.js'
import { gate } from '../../../src/workflows/gate/index.js'
import { loadRunResults } from '../../../src/workflows/results/runs.js'
import { tempProject } from '../../helpers/project.js'

/*
 * The library path with no file on disk: a config value whose system under test is a
 * JavaScript function, run through the real scheduler into the real SQLite store.
 */

/** A reviewer that flags SQL injection, and fails loudly on one input. */
const review: FunctionCall = async (request, { signal }) => {
  const code = String(request.vars.code)
  if (code === 'boom') throw new Error('reviewer crashed')
  await new Promise((resolve) => setTimeout(resolve, 1))
  if (signal.aborted) return { error: { kind: 'timeout', message: 'gave up' } }
  const issues = code.includes('SELECT') ? ['SQL injection'] : []
  return { output: JSON.stringify({ issues }), usage: { input: 100, output: 20 } }
}

function config(model?: string): ConfigInput {
  return {
    version: 1,
    providers: { reviewer: { type: 'function', call: review, ...(model ? { model } : {}) } },
    prompts: { review: { user: 'Review this code: {{ code }}' } },
    suites: {
      review: {
        prompt: 'review',
        provider: 'reviewer',
        threshold: 0.5,
        assert: [{ type: 'is-json' }],
        cases: [
          {
            id: 'sql',
            vars: { code: 'SELECT * FROM users WHERE id = $1' },
            assert: [{ type: 'contains', value: 'SQL injection' }],
          },
          {
            id: 'clean',
            vars: { code: 'return 1' },
            assert: [{ type: 'not-contains', value: 'SQL' }],
          },
          { id: 'crash', vars: { code: 'boom' } },
        ],
      },
    },
  }
}

describe('a per-case repeat', () => {
  it("overrides the suite's repeat for that case, within the same bounds", async () => {
    const value = config()
    const suite = value.suites.review as { repeat?: number; cases: { repeat?: number }[] }
    suite.repeat = 2
    ;(suite.cases[0] as { repeat?: number }).repeat = 4
    const { results } = await evaluate({
      config: value,
      cwd: tempProject({}),
      env: {},
      logger: silentLogger,
    })
    const counts = results.suites[0]?.cases.map((c) => [c.id, c.samples.length])
    expect(counts).toEqual([
      ['sql', 4],
      ['clean', 2],
      ['crash', 2],
    ])
    ;(suite.cases[1] as { repeat?: number }).repeat = 0
    await expect(
      evaluate({ config: value, cwd: tempProject({}), env: {}, logger: silentLogger }),
    ).rejects.toThrow(ConfigError)
  })
})

describe('evaluate() with a config value and a function provider', () => {
  it('runs the suite and records the run in the SQLite store under cwd', async () => {
    const cwd = tempProject({})
    const value = config()
    const { outcome, results } = await evaluate({
      config: value,
      cwd,
      env: {},
      logger: silentLogger,
    })
    expect(outcome).toBe('passed')
    const suite = results.suites[0]
    expect(suite?.cases.map((c) => [c.id, c.pass])).toEqual([
      ['sql', true],
      ['clean', true],
      ['crash', false],
    ])
    const crash = suite?.cases[2]?.samples[0]
    expect(crash).toMatchObject({
      output: null,
      error: { kind: 'unknown', message: 'reviewer crashed' },
      attempts: 1,
    })
    const sql = suite?.cases[0]?.samples[0]
    expect(sql).toMatchObject({
      usage: { input: 100, output: 20, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
      costUsd: null,
    })
    expect(sql?.latencyMs).toBeGreaterThanOrEqual(0)
    expect(suite?.cases[0]?.source).toBeUndefined()
    expect(results.run.configHash).toBe(sha256(canonicalJson(value)))

    const file = join(cwd, '.shipgate', 'shipgate.db')
    expect(existsSync(file)).toBe(true)
    const store = await openStore(file, cwd)
    try {
      const stored = await loadRunResults(store, results.run.id)
      expect(stored.run).toMatchObject({ status: 'completed', configHash: results.run.configHash })
      expect(stored.suites[0]?.cases.map((c) => c.id)).toEqual(['sql', 'clean', 'crash'])
    } finally {
      await store.close()
    }
  })

  it('prices the usage when the provider names a priced model', async () => {
    const { results } = await evaluate({
      config: config('gpt-4o-mini'),
      cwd: tempProject({}),
      env: {},
      logger: silentLogger,
    })
    const sample = results.suites[0]?.cases[0]?.samples[0]
    expect(sample?.costUsd).toBeGreaterThan(0)
  })

  it('gates the stored run from the same config value', async () => {
    const cwd = tempProject({})
    const value = config()
    await evaluate({ config: value, cwd, env: {}, logger: silentLogger })
    const { verdict } = await gate({ config: value, cwd, env: {}, logger: silentLogger })
    expect(verdict.pass).toBe(true)
    expect(verdict.checks.find((c) => c.id === 'cost-increase')?.message).toContain(
      'no completed run of these suites on branch "main"',
    )
  })

  it('rejects a bad config value before running anything, naming the key path', async () => {
    const cwd = tempProject({})
    const value = config()
    Object.assign(value.suites.review as object, { threshold: 'high' })
    const error = await evaluate({
      config: value,
      cwd,
      env: {},
      logger: silentLogger,
    })
      .then(() => undefined)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).issues).toEqual([
      {
        file: '<inline config>',
        path: 'suites.review.threshold',
        message: 'suites.review.threshold: expected number, got string "high"',
      },
    ])
    expect(existsSync(join(cwd, '.shipgate'))).toBe(false)
  })
})
