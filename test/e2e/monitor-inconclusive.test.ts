import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { createRelease, deployProject, type DeployProject } from '../helpers/deploy-project.js'

/*
 * A deploy nobody sends traffic to, with the built CLI on the local target: the monitor cannot
 * judge it (inconclusive), and `monitor.onInconclusive: pass` lets the deploy succeed with a
 * warning instead of rolling back.
 */

let project: DeployProject

beforeAll(async () => {
  project = await deployProject('  onInconclusive: pass\n', { interval: '1s', duration: '2s' })
})

afterAll(async () => {
  await project.remove()
})

describe('a deploy without traffic under monitor.onInconclusive: pass', () => {
  it('succeeds, its monitor step passed with a warning that says why', async () => {
    const release = await createRelease(project.dir, ['--name', 'quiet'])
    const result = await runCli(['deploy', 'local', '--json'], { cwd: project.dir })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toMatch(
      /monitor inconclusive, passing \(monitor\.onInconclusive: pass\): \d+ requests, fewer than the 10 the monitor needs to pass/,
    )
    const record = JSON.parse(result.stdout) as {
      deployment: { status: string; steps: { name: string; status: string; detail?: string }[] }
    }
    expect(record.deployment.status).toBe('succeeded')
    const monitor = record.deployment.steps.find((s) => s.name === 'monitor')
    expect(monitor?.status).toBe('passed')
    expect(await project.release()).toBe(release)
  }, 90_000)
})
