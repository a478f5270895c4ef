import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { DEFAULT_CASSETTES } from '../../src/cassettes/types.js'
import { configJsonSchema } from '../../src/config/json-schema.js'
import { configSchema } from '../../src/config/schema.js'
import { DEFAULT_BASELINE_BRANCH, DEFAULT_COMPARE } from '../../src/core/gate/defaults.js'
import { DEFAULT_RULES } from '../../src/core/gate/evaluate.js'
import { DEFAULT_VERSION_ENV } from '../../src/core/release/rollback.js'
import { DEFAULT_DEPLOY, DEFAULT_MONITOR, DEFAULT_SMOKE } from '../../src/core/rollout/defaults.js'
import { DEFAULT_STORE } from '../../src/stores/index.js'

/** The smallest config there is: every section comes from its defaults. */
const empty = configSchema.parse({ version: 1, providers: {}, suites: {} })

describe('every default is stated once', () => {
  it('an empty config has a gate section, and it is the core defaults', () => {
    expect(empty.gate).toEqual({
      baseline: DEFAULT_BASELINE_BRANCH,
      suites: {},
      compare: DEFAULT_COMPARE,
      approvals: { labels: {} },
      sarif: [],
    })
    expect(DEFAULT_RULES.compare).toBe(DEFAULT_COMPARE)
  })

  it('deploy, smoke, monitor and release sections are the core defaults', () => {
    expect(empty.deploy).toEqual(DEFAULT_DEPLOY)
    expect(empty.smoke).toEqual({ ...DEFAULT_SMOKE })
    expect(empty.smoke.checks).toBeUndefined()
    expect(empty.monitor).toEqual({
      ...DEFAULT_MONITOR,
      source: { type: 'endpoint', format: 'prometheus' },
    })
    expect(empty.release).toEqual({
      promptVersionEnv: DEFAULT_VERSION_ENV.prompt,
      modelVersionEnv: DEFAULT_VERSION_ENV.model,
    })
    expect(empty.select).toEqual({ always: [] })
    expect(empty.store).toBe(DEFAULT_STORE)
    expect(
      configSchema.parse({ version: 1, providers: {}, suites: {}, cassettes: {} }).cassettes,
    ).toEqual({ ...DEFAULT_CASSETTES })
  })

  it('gives every parse its own section objects', () => {
    const again = configSchema.parse({ version: 1, providers: {}, suites: {} })
    expect(again.gate).not.toBe(empty.gate)
    expect(again.monitor.thresholds).not.toBe(empty.monitor.thresholds)
  })

  it('the JSON Schema (and so docs/config.md) shows the same values', () => {
    const properties = configJsonSchema().properties as Record<string, { default?: unknown }>
    for (const key of ['gate', 'deploy', 'smoke', 'monitor', 'release', 'runner', 'store']) {
      expect(properties[key]?.default, key).toEqual(
        JSON.parse(JSON.stringify(empty[key as 'gate'])),
      )
    }
  })

  it('no module restates a string default that has a named constant', () => {
    // Each literal may appear only where its constant is declared, in the CLI or the runtime
    // package (whose shared constants the CLI re-exports).
    const allowed: Record<string, string[]> = {
      "'main'": ['src/core/gate/defaults.ts'],
      "'.shipgate/shipgate.db'": ['src/stores/index.ts'],
      "'PROMPT_VERSION'": ['packages/runtime/src/contracts/release-env.ts'],
      "'MODEL_VERSION'": ['packages/runtime/src/contracts/release-env.ts'],
    }
    const root = fileURLToPath(new URL('../..', import.meta.url))
    const found: Record<string, string[]> = {}
    const files = [
      ...sourceFiles(join(root, 'src')),
      ...sourceFiles(join(root, 'packages/runtime/src')),
    ]
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      for (const literal of Object.keys(allowed)) {
        if (text.includes(literal)) (found[literal] ??= []).push(relative(root, file))
      }
    }
    expect(found).toEqual(allowed)
  })
})

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}
