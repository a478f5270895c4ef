/**
 * `shipgate/runtime` stays importable from the CLI package with the API it had before the
 * runtime became its own package: @shipgate/runtime with its Express and Hono adapters.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** The values `shipgate/runtime` exported when it was src/runtime/ of the CLI. */
const BEFORE = [
  'FLAGD_SCHEMA_URL',
  'FileFlagProvider',
  'OTHER_ROUTE',
  'RELEASE_ENV',
  'activeRelease',
  'changedFlags',
  'compileFlags',
  'createFlagEvaluator',
  'createMemoryRateLimiter',
  'createRateLimiter',
  'createRedisRateLimiter',
  'createRuntimeHandler',
  'createTelemetry',
  'errorType',
  'expressMiddleware',
  'honoMiddleware',
  'rateLimitConfigFromEnv',
  'rateLimitHeaders',
  'rateLimitedResponse',
  'readRollout',
  'rolloutFlag',
  'routeResolver',
  'sendResponse',
  'setRollout',
  'toNodeListener',
  'toRequest',
  'withRateLimit',
  'withTelemetry',
]

/** The names a built module exports, imported by a plain Node process from the repository. */
function exportsOf(specifier: string): string[] {
  const script = `console.log(JSON.stringify(Object.keys(await import('${specifier}'))))`
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
  })
  expect(run.stderr).toBe('')
  return (JSON.parse(run.stdout) as string[]).sort()
}

/** A package.json, relative to the repository. */
function manifest(path: string): { version: string; dependencies: Record<string, string> } {
  return JSON.parse(readFileSync(`${ROOT}${path}`, 'utf8')) as ReturnType<typeof manifest>
}

describe('shipgate/runtime', () => {
  it('is the runtime of the same version: the CLI pins it exactly', () => {
    const cli = manifest('package.json')
    const runtime = manifest('packages/runtime/package.json')
    expect(runtime.version).toBe(cli.version)
    expect(cli.dependencies['@shipgate/runtime']).toBe(runtime.version)
  })

  it('exports what it did before the split, the same functions as @shipgate/runtime', () => {
    if (!existsSync(`${ROOT}dist/runtime.js`)) throw new Error('run `npm run build` first')
    const names = exportsOf('shipgate/runtime')
    expect(names).toEqual(expect.arrayContaining(BEFORE))
    const runtime = ['@shipgate/runtime', '@shipgate/runtime/express', '@shipgate/runtime/hono']
    expect(names).toEqual([...new Set(runtime.flatMap(exportsOf))].sort())
  })
})
