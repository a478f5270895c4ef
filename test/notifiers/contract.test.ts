import { afterEach, describe, expect, it } from 'vitest'
import type { Notifier, PipelineEvent } from '../../src/contracts/notifier.js'
import { silentLogger } from '../../src/logger.js'
import type { builtinNotifiers } from '../../src/notifiers/index.js'
import { createNotifiers } from '../../src/notifiers/index.js'
import type { NotifierConfig } from '../../src/notifiers/schemas.js'
import { startWebhookCatcher, type WebhookCatcher } from '../fakes/webhook.js'

/*
 * What every builtin notifier promises, run against each: it is built without touching the
 * environment, delivers one POST per event, rejects (never throws synchronously) naming the
 * missing variable, retries a 503, and stops when its signal aborts.
 */

const catchers: WebhookCatcher[] = []
afterEach(async () => {
  await Promise.all(catchers.splice(0).map((c) => c.close()))
})

const EVENT: PipelineEvent = {
  type: 'rollback.succeeded',
  severity: 'warning',
  summary: 'production rolled back to rel-000000000001',
  at: '2026-11-30T12:00:00.000Z',
  target: 'production',
}

/** Each builtin: its config with the URL in variable `URL_VAR`. */
const CASES: Record<keyof typeof builtinNotifiers, NotifierConfig> = {
  slack: { type: 'slack', webhookUrlEnv: 'URL_VAR', events: ['rollback.succeeded'] },
  webhook: {
    type: 'webhook',
    urlEnv: 'URL_VAR',
    retries: 3,
    timeout: '5s',
    events: ['rollback.succeeded'],
  },
}

function build(config: NotifierConfig, env: Record<string, string>): Notifier {
  return createNotifiers([config], { env, logger: silentLogger, retryBaseMs: 5 })[0] as Notifier
}

describe.each(Object.entries(CASES))('notifier contract: %s', (type, config) => {
  it('is named by its type and keeps its events', () => {
    const notifier = build(config, {})
    expect(notifier.name).toBe(type)
    expect(notifier.events).toEqual(['rollback.succeeded'])
  })

  it('sends one POST per event', async () => {
    const server = await startWebhookCatcher()
    catchers.push(server)
    await build(config, { URL_VAR: `${server.url}/in` }).notify(EVENT, new AbortController().signal)
    expect(server.requests.map((r) => [r.method, r.path])).toEqual([['POST', '/in']])
    expect(server.requests[0]?.raw).toContain('production rolled back to rel-000000000001')
  })

  it('rejects, naming the variable, when the URL is missing', async () => {
    const pending = build(config, {}).notify(EVENT, new AbortController().signal)
    await expect(pending).rejects.toThrow(/URL_VAR is not set/)
  })

  it('retries a 503', async () => {
    const server = await startWebhookCatcher({ failFirst: 1 })
    catchers.push(server)
    await build(config, { URL_VAR: server.url }).notify(EVENT, new AbortController().signal)
    expect(server.requests).toHaveLength(2)
  })

  it('stops when its signal aborts', async () => {
    const server = await startWebhookCatcher({ reply: () => ({ status: 200, delayMs: 5_000 }) })
    catchers.push(server)
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    const started = Date.now()
    await expect(
      build(config, { URL_VAR: server.url }).notify(EVENT, controller.signal),
    ).rejects.toThrow(/cancelled/)
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(server.requests).toHaveLength(1)
  })
})
