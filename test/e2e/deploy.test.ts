import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyWebhookSignature } from '../../src/notifiers/signature.js'
import { runCli } from '../helpers/cli.js'
import { createRelease, deployProject, type DeployProject } from '../helpers/deploy-project.js'
import { startLoad } from '../helpers/load.js'
import { startWebhookCatcher, type WebhookCatcher } from '../fakes/webhook.js'

/*
 * The deploy loop end to end with the built CLI, the example agent service on the local target,
 * a bounded loopback load and a loopback webhook catcher: a good release deploys; a bad one (20%
 * errors) is rolled back within two monitor intervals, the old release serves again, and a
 * signed alert arrives.
 */

const SECRET = 'test-webhook-secret-0123456789'
let project: DeployProject
let catcher: WebhookCatcher

beforeAll(async () => {
  catcher = await startWebhookCatcher()
  project = await deployProject(`notify:
  - type: webhook
    url: ${catcher.url}/hook
    secretEnv: SHIPGATE_WEBHOOK_SECRET
`)
})

afterAll(async () => {
  await project.remove()
  await catcher.close()
})

const cli = (args: string[]) =>
  runCli(args, { cwd: project.dir, env: { SHIPGATE_WEBHOOK_SECRET: SECRET } })

interface Record {
  deployment: {
    status: string
    releaseId: string
    steps: { name: string; status: string; startedAt: string; finishedAt: string }[]
    alerts?: { type: string; notifiers: { name: string; ok: boolean }[] }[]
  }
}

describe('shipgate deploy on the local target', () => {
  it('deploys a good release, rolls a bad one back within two intervals and alerts', async () => {
    const good = await createRelease(project.dir, ['--name', 'good'])
    const load = startLoad(project.url)
    try {
      const first = await cli(['deploy', 'local'])
      expect(first.code, `${first.stdout}\n${first.stderr}`).toBe(0)
      expect(first.stdout).toMatch(/runs on local/)
      expect(await project.release()).toBe(good)

      const bad = await createRelease(project.dir, [
        '--name',
        'bad',
        '--env',
        'FAULT_ERROR_RATE=0.2',
      ])
      const second = await cli(['deploy', 'local', '--json'])
      expect(second.code, second.stderr).toBe(1)
      const record = JSON.parse(second.stdout) as Record
      expect(record.deployment).toMatchObject({ status: 'rolled_back', releaseId: bad })
      const monitor = record.deployment.steps.find((s) => s.name === 'monitor')
      expect(monitor?.status).toBe('failed')
      // Failed within two 2 s intervals, not after the whole 6 s duration.
      expect(Date.parse(monitor!.finishedAt) - Date.parse(monitor!.startedAt)).toBeLessThan(4_500)
      expect(record.deployment.steps.at(-1)).toMatchObject({ name: 'rollback', status: 'passed' })
      // Every alert sent about the deploy is kept with it, the last one included.
      const sent = record.deployment.alerts ?? []
      expect(sent.map((a) => a.type)).toEqual(
        expect.arrayContaining(['deploy.started', 'monitor.failed', 'rollback.succeeded']),
      )
      expect(sent.at(-1)).toMatchObject({
        type: 'rollback.succeeded',
        notifiers: [{ name: 'webhook', ok: true }],
      })
      expect(await project.release()).toBe(good)
    } finally {
      await load.stop()
    }

    const alert = catcher.requests.find(
      (r) => r.headers['x-shipgate-event'] === 'rollback.succeeded',
    )
    expect(
      alert,
      catcher.requests.map((r) => r.headers['x-shipgate-event']).join(', '),
    ).toBeDefined()
    expect(
      verifyWebhookSignature(SECRET, {
        body: alert!.raw,
        timestamp: alert!.headers['x-shipgate-timestamp'],
        signature: alert!.headers['x-shipgate-signature'],
      }),
    ).toBe(true)
    expect(alert!.raw).not.toContain(SECRET)
  }, 120_000)
})
