import { afterEach, describe, expect, it } from 'vitest'
import type { Notifier, PipelineEvent } from '../../src/contracts/notifier.js'
import { createLogger } from '../../src/logger.js'
import { createNotifiers, verifyWebhookSignature } from '../../src/notifiers/index.js'
import type { NotifierConfig } from '../../src/notifiers/schemas.js'
import { startWebhookCatcher, type WebhookCatcher } from '../fakes/webhook.js'

/*
 * The webhook notifier against a loopback catcher: the body and headers, the signature a
 * receiver verifies, retries (5xx, 429 with retry-after, timeouts) and what is not retried.
 */

const catchers: WebhookCatcher[] = []
afterEach(async () => {
  await Promise.all(catchers.splice(0).map((c) => c.close()))
})

async function catcher(options: Parameters<typeof startWebhookCatcher>[0] = {}) {
  const started = await startWebhookCatcher(options)
  catchers.push(started)
  return started
}

const EVENT: PipelineEvent = {
  type: 'deploy.failed',
  severity: 'critical',
  summary: 'deploy of rel-3f2a to staging failed: error rate 21% > 5%',
  at: '2026-11-30T12:00:00.000Z',
  target: 'staging',
  releaseId: 'rel-3f2a00000000',
  details: { errorRate: 0.21, limit: 0.05 },
}
const SECRET = 'whsec_test_0123456789abcdef'

function webhook(
  config: Partial<Extract<NotifierConfig, { type: 'webhook' }>>,
  env: Record<string, string> = {},
  lines: string[] = [],
): Notifier {
  const logger = createLogger({ level: 'debug', write: (l) => lines.push(l) })
  const [notifier] = createNotifiers([{ type: 'webhook', retries: 3, timeout: '2s', ...config }], {
    env,
    logger,
    retryBaseMs: 5,
  })
  return notifier as Notifier
}

const send = (n: Notifier) => n.notify(EVENT, new AbortController().signal)

describe('webhook notifier', () => {
  it('posts the event with an id, source and signed headers that verify with the secret', async () => {
    const server = await catcher()
    await send(
      webhook({ url: `${server.url}/hook`, secretEnv: 'HOOK_SECRET' }, { HOOK_SECRET: SECRET }),
    )
    expect(server.requests).toHaveLength(1)
    const [request] = server.requests
    const body = request?.json as Record<string, unknown>
    expect(request?.path).toBe('/hook')
    expect(body).toMatchObject({ ...EVENT, source: 'shipgate' })
    expect(body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    const headers = request?.headers ?? {}
    expect(headers['content-type']).toBe('application/json')
    expect(headers['user-agent']).toMatch(/^shipgate\/\d+\.\d+\.\d+/)
    expect(headers['x-shipgate-event']).toBe('deploy.failed')
    expect(headers['x-shipgate-delivery']).toBe(body.id)
    expect(Math.abs(Number(headers['x-shipgate-timestamp']) - Date.now() / 1000)).toBeLessThan(5)
    expect(headers['x-shipgate-signature']).toMatch(/^sha256=[0-9a-f]{64}$/)
    const delivery = {
      body: request?.raw ?? '',
      timestamp: headers['x-shipgate-timestamp'],
      signature: headers['x-shipgate-signature'],
    }
    expect(verifyWebhookSignature(SECRET, delivery)).toBe(true)
    expect(verifyWebhookSignature('whsec_another_secret_value', delivery)).toBe(false)
    expect(verifyWebhookSignature(SECRET, { ...delivery, body: `${delivery.body} ` })).toBe(false)
    expect(verifyWebhookSignature(SECRET, delivery, { now: Date.now() + 600_000 })).toBe(false)
  })

  it('sends no signature without a secret, and reads the URL from urlEnv', async () => {
    const server = await catcher()
    await send(webhook({ urlEnv: 'HOOK_URL' }, { HOOK_URL: `${server.url}/from-env` }))
    expect(server.requests[0]?.path).toBe('/from-env')
    expect(server.requests[0]?.headers['x-shipgate-signature']).toBeUndefined()
  })

  it('retries after two 503s with the same delivery id, then succeeds', async () => {
    const server = await catcher({ failFirst: 2 })
    await send(webhook({ url: server.url, secretEnv: 'S' }, { S: SECRET }))
    expect(server.requests).toHaveLength(3)
    const ids = server.requests.map((r) => r.headers['x-shipgate-delivery'])
    expect(new Set(ids).size).toBe(1)
    expect(new Set(server.requests.map((r) => r.raw)).size).toBe(1)
    for (const r of server.requests) {
      const delivery = {
        body: r.raw,
        timestamp: r.headers['x-shipgate-timestamp'],
        signature: r.headers['x-shipgate-signature'],
      }
      expect(verifyWebhookSignature(SECRET, delivery)).toBe(true)
    }
  })

  it('does not retry a 400, and says so', async () => {
    const server = await catcher({ failFirst: 5, failWith: { status: 400, body: 'bad event' } })
    await expect(send(webhook({ url: server.url }))).rejects.toThrow(
      'webhook "webhook": HTTP 400: bad event (1 attempt)',
    )
    expect(server.requests).toHaveLength(1)
  })

  it('gives up after its retries', async () => {
    const server = await catcher({ failFirst: 10 })
    await expect(send(webhook({ url: server.url, retries: 2 }))).rejects.toThrow(
      'HTTP 503: unavailable (3 attempts)',
    )
    expect(server.requests).toHaveLength(3)
  })

  it('honours retry-after on a 429', async () => {
    const server = await catcher({
      failFirst: 1,
      failWith: { status: 429, headers: { 'retry-after': '1' } },
    })
    await send(webhook({ url: server.url }))
    expect(server.requests).toHaveLength(2)
    const [first, second] = server.requests
    // The backoff alone would be ~5 ms; the wait is the server's second.
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(950)
  })

  it('times out a hanging attempt, retries it, and reports the timeout', async () => {
    const server = await catcher({ reply: () => ({ status: 200, delayMs: 3_000 }) })
    const started = Date.now()
    await expect(send(webhook({ url: server.url, timeout: '150ms', retries: 1 }))).rejects.toThrow(
      'timed out after 150ms (2 attempts)',
    )
    expect(server.requests).toHaveLength(2)
    expect(Date.now() - started).toBeLessThan(2_000)
  })

  it('names the missing variable, never a value, and keeps URLs and secrets out of logs', async () => {
    const lines: string[] = []
    await expect(send(webhook({ urlEnv: 'ALERTS_HOOK_URL' }, {}, lines))).rejects.toThrow(
      /ALERTS_HOOK_URL is not set/,
    )
    const server = await catcher({ failFirst: 10 })
    const url = `${server.url}/hooks/T000/B000/XXXXsecretpath`
    await expect(
      send(webhook({ urlEnv: 'U', secretEnv: 'S', retries: 1 }, { U: url, S: SECRET }, lines)),
    ).rejects.toThrow(/HTTP 503/)
    const closed = await startWebhookCatcher()
    await closed.close()
    await expect(
      send(webhook({ url: `${closed.url}/hooks/XXXXsecretpath`, retries: 0 }, {}, lines)),
    ).rejects.toThrow(/network error \(ECONNREFUSED\)/)
    await expect(
      send(webhook({ urlEnv: 'U' }, { U: 'not a url XXXXsecretpath' }, lines)),
    ).rejects.toThrow('webhook "webhook": U is not a valid URL')
    expect(lines.some((l) => l.includes('retrying in'))).toBe(true)
    expect(lines.join('\n')).not.toMatch(/secretpath|127\.0\.0\.1/)
    expect(lines.join('\n')).not.toContain(SECRET)
  })
})
