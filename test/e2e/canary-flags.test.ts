import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  compileFlags,
  createFlagReleases,
  createRuntimeHandler,
  createTelemetry,
  FileFlagProvider,
  type FlagFile,
  labelRequest,
  readRollout,
  toNodeListener,
} from '../../packages/runtime/src/index.js'
import { runCli } from '../helpers/cli.js'
import { createRelease, ONE_CASE_SUITE } from '../helpers/deploy-project.js'
import { startLoad, type Load } from '../helpers/load.js'

/*
 * A prompt-only canary through the flag file (issue 15): no code deploy. A loopback service
 * built on the runtime SDK — FileFlagProvider watching a temp flag file, createFlagReleases
 * choosing each user's release by the `release` flag and labelling the request's metrics — runs
 * for the whole test; the built CLI's `shipgate deploy prompts` with `rollout.strategy: canary`
 * only rewrites the file. A release's settings (its variant's `env`) include FAULT_ERROR_RATE,
 * and the service fails exactly that share of the requests it serves under the release (every
 * 1/rate-th, counted per release), so the outcomes do not depend on chance: 25% against 2% is
 * aborted at the first analysis interval with enough traffic, 2% against 2% passes. Then
 * `shipgate rollback` puts the stable release back through the file, and in a git repository a
 * release of another commit is refused before anything is written.
 */

const ROLLOUT = `rollout:
  strategy: canary
  steps:
    - setWeight: 30
    - analysis: { duration: 6s, interval: 1s }
  analysis: { minRequests: 40 }
`

/** The service: the flag provider, the releases helper, telemetry, /health and /metrics. */
async function startService(flagsPath: string) {
  const provider = new FileFlagProvider({ path: flagsPath, debounceMs: 20 })
  await provider.initialize()
  const telemetry = createTelemetry({
    service: 'prompt-service',
    version: '1.0.0',
    release: 'rel-process',
  })
  const releases = createFlagReleases({
    evaluator: provider.evaluator,
    fallback: { release: 'rel-process', env: {} },
    label: labelRequest,
  })
  const served = new Map<string, number>()
  const app = telemetry.wrap(
    async (request) => {
      const body = (await request.json()) as { user_id?: string }
      const choice = releases.choose(body.user_id)
      const n = served.get(choice.release) ?? 0
      served.set(choice.release, n + 1)
      const rate = Number(choice.env.FAULT_ERROR_RATE ?? 0)
      const headers = { 'x-shipgate-release': choice.release }
      if (Math.floor((n + 1) * rate) > Math.floor(n * rate)) {
        return Response.json({ error: 'injected failure' }, { status: 500, headers })
      }
      return Response.json({ response: 'ok', prompt: choice.env.PROMPT_VERSION }, { headers })
    },
    { route: ['/agent/query'] },
  )
  const runtime = createRuntimeHandler({ telemetry, health: { release: releases.current } })
  const server: Server = createServer(
    toNodeListener(async (request) => (await runtime(request)) ?? app(request)),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await new Promise((resolve) => server.close(resolve))
      await provider.onClose()
    },
  }
}

let dir: string
let flagsPath: string
let service: Awaited<ReturnType<typeof startService>>
let load: Load
let stable: string

const deploy = () => runCli(['deploy', 'prompts', '--no-monitor', '--json'], { cwd: dir })
const flagFile = (): FlagFile => JSON.parse(readFileSync(flagsPath, 'utf8')) as FlagFile

/** The release each of 1,000 users gets from the file now. */
function servedByFile(): Set<string | undefined> {
  const { core } = compileFlags(readFileSync(flagsPath, 'utf8'), flagsPath)
  const variants = Array.from(
    { length: 1_000 },
    (_, i) => core.resolveObjectEvaluation('release', {}, { targetingKey: `u${i}` }).variant,
  )
  return new Set(variants)
}

async function healthRelease(): Promise<string> {
  return ((await (await fetch(`${service.url}/health`)).json()) as { release: string }).release
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shipgate-canary-flags-'))
  flagsPath = join(dir, 'flags.json')
  writeFileSync(flagsPath, '{ "flags": {} }\n')
  service = await startService(flagsPath)
  writeFileSync(
    join(dir, 'shipgate.yaml'),
    `${ONE_CASE_SUITE}targets:
  prompts:
    type: flags
    file: flags.json
    url: ${service.url}
deploy: { healthTimeout: 10s }
smoke:
  checks:
    - { name: health, path: /health, expect: { status: healthy } }
    - { name: metrics, path: /metrics }
monitor:
  source: { type: endpoint }
${ROLLOUT}`,
  )
  stable = await createRelease(dir, ['--name', 'stable', '--env', 'FAULT_ERROR_RATE=0.02'])
  const first = await deploy()
  if (first.code !== 0) throw new Error(`the stable release did not deploy: ${first.stderr}`)
  load = startLoad(service.url, { concurrency: 6, pauseMs: 5 })
}, 30_000)

afterAll(async () => {
  await load?.stop()
  await service?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('a prompt-only canary through the flag file', () => {
  it('serves the first release to everyone, with no code deploy', async () => {
    expect(flagFile().flags.release?.defaultVariant).toBe(stable)
    expect(servedByFile()).toEqual(new Set([stable]))
    expect(await healthRelease()).toBe(stable)
  })

  it('aborts a canary failing 25% against 2%, and ends with 100% on the stable release', async () => {
    const bad = await createRelease(dir, [
      '--name',
      'bad',
      '--env',
      'FAULT_ERROR_RATE=0.25',
      '--env',
      'PROMPT_VERSION=v2',
    ])
    const before = load.byRelease()[stable] ?? 0
    const aborted = await deploy()
    expect(aborted.code, aborted.stderr).toBe(1)
    // The project is no git repository: the target cannot tell the code is the same, and says so.
    expect(aborted.stderr).toMatch(/recorded outside a git repository/)
    expect(aborted.stderr).toMatch(/canary 1\/3 passed: .*30%/)
    expect(aborted.stderr).toMatch(/canary 2\/3 failed: error rate/)
    const { deployment } = JSON.parse(aborted.stdout) as {
      deployment: { status: string; reason: string }
    }
    expect(deployment.status).toBe('rolled_back')
    expect(deployment.reason).toMatch(/canary failed: error rate [\d.]+% on the canary against/)

    expect(flagFile().flags.release).toMatchObject({ defaultVariant: stable })
    expect(Object.keys(flagFile().flags.release?.variants ?? {})).toEqual([stable])
    expect(servedByFile()).toEqual(new Set([stable]))
    expect(await healthRelease()).toBe(stable)
    // The split was real: the canary served part of the load, the stable release most of it.
    const served = load.byRelease()
    expect(served[bad]).toBeGreaterThanOrEqual(40)
    expect(served[bad]).toBeLessThan((served[stable] ?? 0) - before)
  }, 40_000)

  it('promotes a canary as good as stable: the flag serves it to everyone', async () => {
    const good = await createRelease(dir, [
      '--name',
      'good',
      '--env',
      'FAULT_ERROR_RATE=0.02',
      '--env',
      'PROMPT_VERSION=v3',
    ])
    const promoted = await deploy()
    expect(promoted.code, promoted.stderr).toBe(0)
    expect(promoted.stderr).toMatch(/canary 2\/3 passed: passed/)
    expect(
      (JSON.parse(promoted.stdout) as { deployment: { status: string } }).deployment.status,
    ).toBe('succeeded')
    const flag = flagFile().flags.release
    expect(flag).toMatchObject({ defaultVariant: good })
    expect(flag?.variants[good]).toEqual({
      release: good,
      name: 'good',
      env: { FAULT_ERROR_RATE: '0.02', PROMPT_VERSION: 'v3' },
    })
    expect(() => readRollout(flagFile(), 'release')).toThrow(/not a percentage rollout/)
    expect(servedByFile()).toEqual(new Set([good]))
    expect(await healthRelease()).toBe(good)
    expect(load.byRelease()[good]).toBeGreaterThanOrEqual(40)
  }, 40_000)

  it('is rolled back by shipgate rollback: the flag serves the stable release again', async () => {
    const back = await runCli(['rollback', 'prompts', '--json'], { cwd: dir })
    expect(back.code, back.stderr).toBe(0)
    expect(flagFile().flags.release).toMatchObject({ defaultVariant: stable })
    expect(servedByFile()).toEqual(new Set([stable]))
    expect(await healthRelease()).toBe(stable)
  }, 20_000)

  it('refuses a release of other code, writing nothing', async () => {
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
        cwd: dir,
        stdio: 'ignore',
      })
    writeFileSync(join(dir, '.gitignore'), '.shipgate/\nflags.json\n')
    git('init', '-q')
    git('add', '.')
    git('commit', '-qm', 'one')
    // Over a release recorded outside git, the code is unknown: a warning, and the canary runs.
    const one = await createRelease(dir, ['--env', 'FAULT_ERROR_RATE=0.02'])
    const first = await deploy()
    expect(first.code, first.stderr).toBe(0)
    expect(flagFile().flags.release?.defaultVariant).toBe(one)

    writeFileSync(join(dir, 'service.js'), '// new code\n')
    git('add', '.')
    git('commit', '-qm', 'two')
    await createRelease(dir, ['--env', 'FAULT_ERROR_RATE=0.02'])
    const before = readFileSync(flagsPath, 'utf8')
    const dry = await runCli(['deploy', 'prompts', '--dry-run'], { cwd: dir })
    expect(dry.code, dry.stderr).toBe(2)
    expect(dry.stderr).toMatch(
      /changes the code \(commit [0-9a-f]{7} → [0-9a-f]{7}\): a flags canary can move prompts and models only; deploy code with a code target/,
    )
    expect(dry.stderr).toMatch(/onCodeChange: warn/)
    const refused = await deploy()
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/plan .*a flags canary can move prompts and models only/)
    expect(readFileSync(flagsPath, 'utf8')).toBe(before)
  }, 30_000)
})
