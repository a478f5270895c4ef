import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compileFlags, rolloutFlag } from '../../packages/runtime/src/flags/index.js'
import { tempDir, writeFlags } from './helpers.js'

const CHILD = fileURLToPath(new URL('./fixtures/restart-child.ts', import.meta.url))
const USERS = 20_000
const FLAGS = {
  flags: {
    prompt_version: rolloutFlag({ key: 'prompt_version', from: 'v1', to: 'v2', percent: 25 }),
  },
}
const temp = tempDir()
const script = `${temp.dir}/child.mjs`
const flagFile = `${temp.dir}/flags.json`

beforeAll(async () => {
  // Bundled so that the child runs the TypeScript sources as they are, without a prior build.
  await build({
    entryPoints: [CHILD],
    outfile: script,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    banner: {
      js: "import { createRequire as __req } from 'node:module'; const require = __req(import.meta.url);",
    },
    logLevel: 'warning',
  })
  await writeFlags(flagFile, FLAGS)
})

afterAll(() => temp.remove())

function runService(): string[] {
  const run = spawnSync(process.execPath, [script, flagFile, String(USERS)], {
    encoding: 'utf8',
    timeout: 60_000,
  })
  expect(run.stderr).toBe('')
  expect(run.status).toBe(0)
  return JSON.parse(run.stdout) as string[]
}

describe('stickiness across process restarts', () => {
  it('gives every user the same variant in two separate processes', { timeout: 120_000 }, () => {
    const first = runService()
    const second = runService()
    expect(first).toHaveLength(USERS)
    expect(second).toEqual(first)
    const v2 = first.filter((v) => v === 'v2').length / USERS
    expect(v2).toBeGreaterThan(0.24)
    expect(v2).toBeLessThan(0.26)
    // …and the same as this process computes: the bucket depends on nothing but the key and user.
    const { core } = compileFlags(JSON.stringify(FLAGS), 'flags.json')
    const here = first.map(
      (_, i) =>
        core.resolveStringEvaluation('prompt_version', 'v1', { targetingKey: `user-${i}` }).value,
    )
    expect(here).toEqual(first)
  })
})
