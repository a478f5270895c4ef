import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Deployment } from '../../src/contracts/deploy.js'
import { openStore } from '../../src/stores/index.js'
import { finished, runCli, startCli } from '../helpers/cli.js'
import { createRelease, deployProject, type DeployProject } from '../helpers/deploy-project.js'
import { startLoad, type Load } from '../helpers/load.js'

/*
 * Crash safety of `shipgate deploy`: a deploy killed with SIGKILL after apply is refused to a
 * second deploy and finished (or rolled back) by `deploy --resume`; two deploys started together
 * on one target never both run.
 */

let project: DeployProject
let load: Load
let lastExit: number | null = null

beforeAll(async () => {
  project = await deployProject('', { interval: '2s', duration: '60s' })
  load = startLoad(project.url)
})

afterAll(async () => {
  await load.stop()
  await project.remove()
})

async function latest(): Promise<Deployment | undefined> {
  const store = await openStore(join(project.dir, '.shipgate', 'shipgate.db'), project.dir)
  try {
    return (await store.deployments.list({ target: 'local', limit: 1 }))[0]
  } finally {
    await store.close()
  }
}

/** Starts a deploy and sends `signal` once its record shows the `monitor` step running. */
async function deployAndKill(signal: NodeJS.Signals = 'SIGKILL'): Promise<Deployment> {
  const child = startCli(['deploy', 'local'], { cwd: project.dir })
  const done = finished(child)
  for (let i = 0; i < 300; i++) {
    const d = await latest()
    if (d?.status === 'running' && d.steps.at(-1)?.name === 'monitor') {
      child.kill(signal)
      lastExit = (await done).code
      return (await latest())!
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  child.kill('SIGKILL')
  throw new Error(`the deploy never reached monitor: ${(await done).stderr}`)
}

const resume = () =>
  runCli(['deploy', 'local', '--resume', '--duration', '4s', '--interval', '2s', '--json'], {
    cwd: project.dir,
  })

describe('deploy --resume after SIGKILL', () => {
  it('refuses a second deploy, then finishes the killed one', async () => {
    const first = await createRelease(project.dir, ['--name', 'first'])
    const killed = await deployAndKill()
    expect(killed).toMatchObject({ status: 'running', releaseId: first })

    await createRelease(project.dir, ['--name', 'second', '--env', 'SECOND=1'])
    const refused = await runCli(['deploy', 'local'], { cwd: project.dir })
    expect(refused.code).toBe(3)
    expect(refused.stderr).toMatch(/was interrupted.*is gone/)
    expect(refused.stderr).toContain('--resume')

    const resumed = await resume()
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(resumed.stderr).toMatch(/resuming .*: continue from monitor/)
    const record = (JSON.parse(resumed.stdout) as { deployment: Deployment }).deployment
    expect(record).toMatchObject({ id: killed.id, status: 'succeeded' })
    expect(await project.release()).toBe(first)
  }, 120_000)

  it('rolls back a killed deploy whose release then fails its checks', async () => {
    const running = await project.release()
    const bad = await createRelease(project.dir, ['--name', 'bad', '--env', 'FAULT_ERROR_RATE=0.3'])
    const killed = await deployAndKill()
    expect(killed.releaseId).toBe(bad)

    const resumed = await resume()
    expect(resumed.code, resumed.stderr).toBe(1)
    const record = (JSON.parse(resumed.stdout) as { deployment: Deployment }).deployment
    expect(record).toMatchObject({ id: killed.id, status: 'rolled_back' })
    expect(await project.release()).toBe(running)
  }, 120_000)

  it('takes over a deploy left by another machine only when told --take-over', async () => {
    const lost = await createRelease(project.dir, ['--name', 'lost', '--env', 'LOST=1'])
    const killed = await deployAndKill()
    // As if a CI runner that is gone had run it: this machine cannot see that process end.
    const db = new Database(join(project.dir, '.shipgate', 'shipgate.db'))
    try {
      db.prepare('UPDATE deployments SET owner_host = ? WHERE id = ?').run('lost-runner', killed.id)
    } finally {
      db.close()
    }
    const refused = await resume()
    expect(refused.code).toBe(3)
    expect(refused.stderr).toMatch(/is running \(pid \d+ on lost-runner\)/)
    expect(refused.stderr).toContain('shipgate deploy local --resume --take-over')

    const taken = await runCli(
      [
        'deploy',
        'local',
        '--resume',
        '--take-over',
        '--duration',
        '4s',
        '--interval',
        '2s',
        '--json',
      ],
      { cwd: project.dir },
    )
    expect(taken.code, taken.stderr).toBe(0)
    expect(taken.stderr).toMatch(/taking over .* on lost-runner \(--take-over\)/)
    const record = (JSON.parse(taken.stdout) as { deployment: Deployment }).deployment
    expect(record).toMatchObject({ id: killed.id, status: 'succeeded' })
    expect(await project.release()).toBe(lost)
  }, 120_000)

  it('lets only one of two deploys started together run', async () => {
    await createRelease(project.dir, ['--name', 'racer', '--env', 'RACE=1'])
    const both = await Promise.all([
      runCli(['deploy', 'local', '--duration', '2s', '--interval', '2s'], { cwd: project.dir }),
      runCli(['deploy', 'local', '--duration', '2s', '--interval', '2s'], { cwd: project.dir }),
    ])
    const codes = both.map((r) => r.code).sort()
    expect(codes, both.map((r) => r.stdout + r.stderr).join('\n---\n')).toEqual([0, 3])
    expect(both.find((r) => r.code === 3)?.stderr).toMatch(/is running \(pid \d+/)
  }, 120_000)

  it('rolls back on Ctrl-C and exits 130', async () => {
    const running = await project.release()
    await createRelease(project.dir, ['--name', 'interrupted', '--env', 'INTERRUPTED=1'])
    const stopped = await deployAndKill('SIGINT')
    expect(lastExit).toBe(130)
    expect(stopped).toMatchObject({ status: 'rolled_back', reason: 'interrupted' })
    expect(stopped.steps.at(-1)).toMatchObject({ name: 'rollback', status: 'passed' })
    expect(await project.release()).toBe(running)
  }, 120_000)
})
