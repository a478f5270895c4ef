import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createCanaryRouter,
  createRuntimeHandler,
  createTelemetry,
  toNodeListener,
} from '../../packages/runtime/src/index.js'
import type { Deployment } from '../../src/contracts/deploy.js'
import { seededRandom } from '../../src/utils/random.js'
import { runCli } from '../helpers/cli.js'
import { createRelease, ONE_CASE_SUITE } from '../helpers/deploy-project.js'
import { startLoad, type Load } from '../helpers/load.js'

/*
 * A canary on the `command` target the way a Railway user runs one (issue 15): `canary:
 * variables` drives a fake `railway` first on PATH, which logs every call and keeps the
 * service's variables in a file, as Railway keeps them. The service, started here on loopback,
 * is the real runtime SDK: the canary router reads that file at every request and labels each
 * request's metrics with the version that served it, which the endpoint metric source scrapes.
 * Each version's failure rate comes from the service's own table of versions: stable fails 1%,
 * the bad canary 50%, the good one never. A load of rotating user ids runs throughout.
 */

const ROLLOUT = `rollout:
  strategy: canary
  steps:
    - setWeight: 5
    - analysis: { duration: 5s, interval: 1s }
    - setWeight: 50
    - analysis: { duration: 2s, interval: 1s }
  analysis: { minRequests: 10 }
`

/** `railway variables set K=V --service agent`: the call logged, K kept in railway.vars.json. */
const RAILWAY = `#!${process.execPath}
const fs = require('node:fs')
const args = process.argv.slice(2)
fs.appendFileSync('railway.log', JSON.stringify(args) + '\\n')
if (args[0] === 'variables' && args[1] === 'set') {
  const at = args[2].indexOf('=')
  const vars = fs.existsSync('railway.vars.json') ? JSON.parse(fs.readFileSync('railway.vars.json', 'utf8')) : {}
  vars[args[2].slice(0, at)] = args[2].slice(at + 1)
  fs.writeFileSync('railway.vars.json.tmp', JSON.stringify(vars))
  fs.renameSync('railway.vars.json.tmp', 'railway.vars.json')
}
`

let dir: string
let server: Server
let url: string
let load: Load
let stable: string
/** The service's table of versions: how often each fails. */
const errorRates = new Map<string, number>()

const vars = (): Record<string, string> => {
  const file = join(dir, 'railway.vars.json')
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {}
}
/** The variables the fake railway was asked to set, in order. */
const sets = (): string[] =>
  existsSync(join(dir, 'railway.log'))
    ? readFileSync(join(dir, 'railway.log'), 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as string[])
        .filter((args) => args[0] === 'variables')
        .map((args) => args[2] ?? '')
    : []

/** The service: the SDK's router, telemetry and /metrics; /health names RELEASE_ID. */
async function startService(): Promise<string> {
  const telemetry = createTelemetry({ service: 'agent', version: '1.0.0', release: 'dev' })
  const router = createCanaryRouter({ env: vars, logger: { warn: () => undefined } })
  // Seeded: the injected failures are the same every run.
  const random = seededRandom(7)
  const runtime = createRuntimeHandler({ telemetry })
  const query = telemetry.wrap(
    (request) => {
      const { version } = router.choose(request.headers.get('x-user-id') ?? undefined)
      const headers = { 'x-shipgate-release': version }
      if (random() < (errorRates.get(version) ?? 0)) {
        return Response.json({ error: 'injected failure' }, { status: 500, headers })
      }
      return Response.json({ response: `answered by ${version}` }, { headers })
    },
    { route: '/agent/query' },
  )
  server = createServer(
    toNodeListener(async (request) => {
      const path = new URL(request.url).pathname
      if (path === '/health') {
        return Response.json({ status: 'healthy', release: vars().RELEASE_ID ?? 'dev' })
      }
      return (await runtime(request)) ?? query(request)
    }),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function writeProject(): void {
  const bin = join(dir, 'bin')
  mkdirSync(bin)
  writeFileSync(join(bin, 'railway'), RAILWAY)
  chmodSync(join(bin, 'railway'), 0o755)
  writeFileSync(
    join(dir, 'shipgate.yaml'),
    `${ONE_CASE_SUITE}targets:
  railway:
    type: command
    url: ${url}
    canary: variables
    setVariables: railway variables set {{ key }}={{ value }} --service agent
    env: [RAILWAY_TOKEN]
deploy: { healthTimeout: 10s }
smoke: { checks: [{ name: health, path: /health }] }
monitor:
  source: { type: endpoint }
${ROLLOUT}`,
  )
}

const deploy = (...extra: string[]) =>
  runCli(['deploy', 'railway', '--no-monitor', '--json', ...extra], {
    cwd: dir,
    env: { PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}`, RAILWAY_TOKEN: 'rw-test' },
  })

/** A release the service knows, failing at `errorRate`. */
async function version(name: string, errorRate: number): Promise<string> {
  const id = await createRelease(dir, ['--name', name, '--env', `PROMPT_VERSION=${name}`])
  errorRates.set(id, errorRate)
  return id
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shipgate-canary-command-'))
  url = await startService()
  writeProject()
  stable = await version('stable', 0.01)
  const first = await deploy()
  if (first.code !== 0) throw new Error(`the stable release did not deploy: ${first.stderr}`)
  load = startLoad(url, { concurrency: 8, pauseMs: 2 })
}, 30_000)

afterAll(async () => {
  await load?.stop()
  await new Promise((resolve) => server?.close(resolve))
  rmSync(dir, { recursive: true, force: true })
})

const deployment = (stdout: string) => (JSON.parse(stdout) as { deployment: Deployment }).deployment

describe('a canary on the command target, by variables', () => {
  it('made the first release the stable version at once', () => {
    expect(sets()).toEqual([`RELEASE_ID=${stable}`, 'CANARY_PERCENTAGE=0'])
  })

  it('aborts a canary failing 50% at 5%, and rolls it back by CANARY_PERCENTAGE=0', async () => {
    const bad = await version('bad', 0.5)
    const before = sets().length
    const servedBefore = load.byRelease()[stable] ?? 0
    const aborted = await deploy()
    expect(aborted.code, aborted.stderr).toBe(1)
    expect(aborted.stderr).toMatch(
      /canary 1\/5 passed: set CANARY_VERSION=rel-\S+, CANARY_PERCENTAGE=5/,
    )
    // The analysis at 5% fails it; on a busy machine, where the load is slower, it may take the
    // one at 50% (as it did in 4 of 6 runs beside a typecheck and 13 other test files).
    const failed = /canary ([24])\/5 failed: error rate/.exec(aborted.stderr)
    expect(failed, aborted.stderr).not.toBeNull()
    expect(aborted.stderr).toMatch(/rollback \([^)]*\): set CANARY_PERCENTAGE=0, RELEASE_ID=/)
    const moved = sets().slice(before)
    expect(moved).toEqual([
      `CANARY_VERSION=${bad}`,
      'CANARY_PERCENTAGE=5',
      ...(failed?.[1] === '4' ? ['CANARY_PERCENTAGE=50'] : []),
      'CANARY_PERCENTAGE=0',
      `RELEASE_ID=${stable}`,
    ])
    const row = deployment(aborted.stdout)
    expect(row).toMatchObject({ releaseId: bad, strategy: 'canary', status: 'rolled_back' })
    expect(row.reason).toMatch(/canary failed: error rate [\d.]+% on the canary against/)
    expect(row.steps.at(-1)).toMatchObject({ name: 'rollback', status: 'passed' })
    expect(vars()).toEqual({ RELEASE_ID: stable, CANARY_VERSION: bad, CANARY_PERCENTAGE: '0' })

    // The split was real: the canary served a few users' requests, stable most of them.
    const served = load.byRelease()
    console.log(
      `bad canary failed at step ${failed?.[1]}: it served ${served[bad]} requests, stable ${(served[stable] ?? 0) - servedBefore}; ${/✗ canary .*/.exec(aborted.stderr)?.[0]}`,
    )
    expect(served[bad]).toBeGreaterThan(10)
    expect(served[bad]).toBeLessThan(((served[stable] ?? 0) - servedBefore) / 5)
    const health = (await (await fetch(`${url}/health`)).json()) as { release: string }
    expect(health.release).toBe(stable)
  }, 40_000)

  it('steps a good canary up to promotion: RELEASE_ID on it, CANARY_PERCENTAGE back to 0', async () => {
    const good = await version('good', 0)
    const planned = await deploy('--dry-run')
    expect(planned.code, planned.stderr).toBe(0)
    expect(planned.stdout).toContain(
      `railway variables set CANARY_VERSION=${good} --service agent  # canary: at the first weight`,
    )
    const before = sets().length
    const promoted = await deploy()
    expect(promoted.code, promoted.stderr).toBe(0)
    expect(promoted.stderr).toMatch(/canary 2\/5 passed: passed/)
    expect(promoted.stderr).toMatch(
      /canary 5\/5 passed: set RELEASE_ID=rel-\S+, CANARY_PERCENTAGE=0/,
    )
    expect(sets().slice(before)).toEqual([
      `CANARY_VERSION=${good}`,
      'CANARY_PERCENTAGE=5',
      'CANARY_PERCENTAGE=50',
      `RELEASE_ID=${good}`,
      'CANARY_PERCENTAGE=0',
    ])
    expect(deployment(promoted.stdout)).toMatchObject({
      releaseId: good,
      strategy: 'canary',
      status: 'succeeded',
    })
    expect(vars()).toEqual({ RELEASE_ID: good, CANARY_VERSION: good, CANARY_PERCENTAGE: '0' })

    // Promoted: every user on the good release.
    const then = load.byRelease()
    const deadline = Date.now() + 10_000
    while ((load.byRelease()[good] ?? 0) - (then[good] ?? 0) < 50 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const now = load.byRelease()
    expect((now[good] ?? 0) - (then[good] ?? 0)).toBeGreaterThanOrEqual(50)
    expect(now[stable]).toBe(then[stable])
  }, 40_000)

  it('refuses a canary at verify, before anything runs, on a command target that cannot split traffic', async () => {
    const config = join(dir, 'shipgate.yaml')
    const original = readFileSync(config, 'utf8')
    writeFileSync(
      config,
      original.replace(
        '    canary: variables\n',
        '    deploy: railway up --service agent\n    rollback: railway rollback --service agent\n',
      ),
    )
    try {
      await version('unsplit', 0)
      const calls = readFileSync(join(dir, 'railway.log'), 'utf8')
      const refused = await deploy()
      expect(refused.code, refused.stderr).toBe(1)
      const row = deployment(refused.stdout)
      expect(row.steps.map((s) => `${s.name} ${s.status}`)).toEqual(['verify failed'])
      expect(row.reason).toMatch(
        /the command target railway cannot split traffic between two releases, which rollout\.strategy: canary needs/,
      )
      // Nothing was deployed: the fake railway was not called.
      expect(readFileSync(join(dir, 'railway.log'), 'utf8')).toBe(calls)
    } finally {
      writeFileSync(config, original)
    }
  })
})
