import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Deployment } from '../../src/contracts/deploy.js'
import { openStore } from '../../src/stores/index.js'
import { finished, runCli, startCli } from '../helpers/cli.js'
import { createRelease, deployProject, type DeployProject } from '../helpers/deploy-project.js'
import { startLoad, type Load } from '../helpers/load.js'

/*
 * Canary deploys end to end (issue 15's Done-when): the built CLI, the example agent service on
 * the local target, a loopback load through the sticky proxy. Over a stable release with 1%
 * errors, a canary with 3% errors is aborted at its analysis and rolled back; a canary as good as
 * stable is promoted. `/health` names the right release after each.
 *
 * The service draws its injected faults from a seeded generator (FAULT_SEED, default 1), so each
 * release's errors are a fixed sequence over its requests: at 3%, 3.0–3.8% of its first 200–400
 * requests and 3.1% of its first 2,000; only how the requests fall into intervals varies. The
 * load (6 loops, 10 ms apart) gives 150–300 requests a second here, a quarter of them to the
 * canary. A simulation of the analysis on those sequences fails the bad canary within the 20 s
 * step in 185 of 200 runs at 80 requests a second and in all 200 at 120 (after a median of
 * 10 s), and the good canary in none.
 */

const ROLLOUT = `rollout:
  strategy: canary
  steps:
    - setWeight: 25
    - analysis: { duration: 20s, interval: 2s }
  analysis: { minRequests: 100 }
`

let project: DeployProject
let load: Load
let stable: string

beforeAll(async () => {
  project = await deployProject(
    ROLLOUT,
    { interval: '2s', duration: '4s', source: '{ type: endpoint }' },
    'stickyHeader: x-user-id',
  )
  stable = await createRelease(project.dir, ['--name', 'stable', '--env', 'FAULT_ERROR_RATE=0.01'])
  const first = await deploy()
  if (first.code !== 0) throw new Error(`the stable release did not deploy: ${first.stderr}`)
  load = startLoad(project.url, { concurrency: 6, pauseMs: 10 })
}, 60_000)

afterAll(async () => {
  await load?.stop()
  await project?.remove()
})

const deploy = () => runCli(['deploy', 'local', '--no-monitor', '--json'], { cwd: project.dir })

/** The deployment `shipgate deploy --json` printed, as the store has it. */
async function stored(stdout: string): Promise<Deployment | undefined> {
  const { id } = (JSON.parse(stdout) as { deployment: Deployment }).deployment
  const store = await openStore(join(project.dir, '.shipgate', 'shipgate.db'), project.dir)
  try {
    return await store.deployments.get(id)
  } finally {
    await store.close()
  }
}

describe('a canary deploy on the local target', () => {
  it('aborts a canary with 3% errors over stable with 1% and rolls it back', async () => {
    expect(await project.release()).toBe(stable)
    const bad = await createRelease(project.dir, [
      '--name',
      'bad',
      '--env',
      'FAULT_ERROR_RATE=0.03',
    ])
    const before = load.byRelease()[stable] ?? 0
    const aborted = await deploy()
    expect(aborted.code, aborted.stderr).toBe(1)
    expect(aborted.stderr).toMatch(/canary 1\/3 passed: .*25%/)
    expect(aborted.stderr).toMatch(/canary 2\/3 failed: error rate/)

    const row = await stored(aborted.stdout)
    expect(row).toMatchObject({ releaseId: bad, strategy: 'canary', status: 'rolled_back' })
    expect(row?.reason).toMatch(/canary failed: error rate [\d.]+% on the canary against/)
    expect(row?.steps.find((s) => s.name === 'canary')?.status).toBe('failed')
    expect(row?.steps.at(-1)).toMatchObject({ name: 'rollback', status: 'passed' })
    expect(await project.release()).toBe(stable)

    // The split was real: the canary served some of the load, stable most of it.
    const served = load.byRelease()
    expect(served[bad]).toBeGreaterThan(100)
    expect(served[bad]).toBeLessThan((served[stable] ?? 0) - before)
  }, 60_000)

  it('promotes a canary as good as stable', async () => {
    const good = await createRelease(project.dir, [
      '--name',
      'good',
      '--env',
      'FAULT_ERROR_RATE=0.01',
      '--env',
      'PROMPT_VERSION=v1',
    ])
    const promoted = await deploy()
    expect(promoted.code, promoted.stderr).toBe(0)
    expect(promoted.stderr).toMatch(/canary 2\/3 passed: passed/)
    expect(promoted.stderr).toMatch(/canary 3\/3 passed: .*100%/)
    const row = await stored(promoted.stdout)
    expect(row).toMatchObject({ releaseId: good, strategy: 'canary', status: 'succeeded' })
    expect(row?.steps.find((s) => s.name === 'canary')?.status).toBe('passed')
    expect(await project.release()).toBe(good)
    expect(load.byRelease()[good]).toBeGreaterThan(100)
  }, 60_000)

  it('shows a running canary, and --resume rolls back one whose process was killed mid-step', async () => {
    const current = await project.release()
    const next = await createRelease(project.dir, [
      '--name',
      'next',
      '--env',
      'FAULT_ERROR_RATE=0.01',
      '--env',
      'PROMPT_VERSION=v2',
    ])
    const child = startCli(['deploy', 'local', '--no-monitor'], { cwd: project.dir })
    const ended = finished(child)
    // Wait until the analysis step runs, then look at it and kill the deploy with SIGKILL.
    let status = ''
    const deadline = Date.now() + 30_000
    while (!/2\/3 running: analyze/.test(status) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 300))
      status = (await runCli(['canary', 'status', 'local'], { cwd: project.dir })).stdout
    }
    expect(status).toContain(`${next} over ${current} on local, running`)
    expect(status).toMatch(/canary 1\/3 passed: .*25%/)
    child.kill('SIGKILL')
    await ended
    const resumed = await runCli(['deploy', 'local', '--resume', '--json'], { cwd: project.dir })
    expect(resumed.stderr).toMatch(/resuming dep-\S+: rollback/)
    const row = await stored(resumed.stdout)
    expect(row).toMatchObject({ releaseId: next, strategy: 'canary', status: 'rolled_back' })
    expect(row?.reason).toContain('the deploy stopped during canary')
    expect(await project.release()).toBe(current)
  }, 60_000)
})
