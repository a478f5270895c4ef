import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyWebhookSignature } from '../../src/notifiers/signature.js'
import { runCli } from '../helpers/cli.js'
import { startLoad } from '../helpers/load.js'
import { startWebhookCatcher, type WebhookCatcher } from '../fakes/webhook.js'

/*
 * The deploy loop end to end with the built CLI, the example agent service on the local target,
 * a bounded loopback load and a loopback webhook catcher: a good release deploys; a bad one (20%
 * errors) is rolled back within two monitor intervals, the old release serves again, and a
 * signed alert arrives.
 */

const SERVER = fileURLToPath(new URL('../../examples/agent-service/server.mjs', import.meta.url))
const SECRET = 'test-webhook-secret-0123456789'
let dir: string
let port: number
let catcher: WebhookCatcher

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

function config(): string {
  return `version: 1
providers:
  bot: { type: mock }
prompts:
  hello: { user: "Say hello to {{ name }}" }
suites:
  greet:
    prompt: hello
    provider: bot
    cases: [{ id: one, vars: { name: Ada } }]
targets:
  local:
    type: local
    command: node ${JSON.stringify(SERVER)}
    port: ${port}
    healthTimeout: 20s
    drain: 200ms
    env: { RATE_LIMIT_RATE: "1000", RATE_LIMIT_BURST: "1000" }
deploy: { healthTimeout: 20s }
smoke: { retries: 10, retryDelay: 200ms }
monitor:
  interval: 2s
  duration: 6s
  minRequests: 10
notify:
  - type: webhook
    url: ${catcher.url}/hook
    secretEnv: SHIPGATE_WEBHOOK_SECRET
`
}

const cli = (args: string[]) => runCli(args, { cwd: dir, env: { SHIPGATE_WEBHOOK_SECRET: SECRET } })

async function healthOf(): Promise<{ release?: string }> {
  return (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { release?: string }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shipgate-deploy-'))
  port = await freePort()
  catcher = await startWebhookCatcher()
  writeFileSync(join(dir, 'shipgate.yaml'), config())
})

afterAll(async () => {
  await runCli(['target', 'stop', 'local'], { cwd: dir })
  await catcher.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('shipgate deploy on the local target', () => {
  it('deploys a good release, rolls a bad one back within two intervals and alerts', async () => {
    const good = await cli(['release', 'create', '--name', 'good', '--json'])
    expect(good.code, good.stderr).toBe(0)
    const goodId = (JSON.parse(good.stdout) as { manifest: { id: string } }).manifest.id

    const load = startLoad(`http://127.0.0.1:${port}`)
    try {
      const first = await cli(['deploy', 'local'])
      expect(first.code, `${first.stdout}\n${first.stderr}`).toBe(0)
      expect(first.stdout).toMatch(/runs on local/)
      expect((await healthOf()).release).toBe(goodId)

      const bad = await cli([
        'release',
        'create',
        '--name',
        'bad',
        '--env',
        'FAULT_ERROR_RATE=0.2',
        '--json',
      ])
      const badId = (JSON.parse(bad.stdout) as { manifest: { id: string } }).manifest.id
      const started = Date.now()
      const second = await cli(['deploy', 'local', '--json'])
      expect(second.code, second.stderr).toBe(1)
      const record = JSON.parse(second.stdout) as {
        deployment: {
          status: string
          releaseId: string
          steps: { name: string; status: string; startedAt: string; finishedAt: string }[]
        }
      }
      expect(record.deployment).toMatchObject({ status: 'rolled_back', releaseId: badId })
      const monitor = record.deployment.steps.find((s) => s.name === 'monitor')
      expect(monitor?.status).toBe('failed')
      // Failed within two 2 s intervals (plus the scrape), not after the whole 6 s duration.
      expect(Date.parse(monitor!.finishedAt) - Date.parse(monitor!.startedAt)).toBeLessThan(5_000)
      expect(Date.now() - started).toBeLessThan(60_000)
      expect((await healthOf()).release).toBe(goodId)
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
