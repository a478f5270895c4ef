import { EVENT_NAMES } from '../../src/notifiers/schemas.js'
import { afterEach, describe, expect, it } from 'vitest'
import { gate } from '../../src/workflows/gate/index.js'
import { EVENT_SEVERITY, notifyAll, pipelineEvent } from '../../src/workflows/alerts/index.js'
import type { Notifier, PipelineEvent } from '../../src/contracts/notifier.js'
import { buildResults } from '../../src/core/eval/aggregate.js'
import { createLogger } from '../../src/logger.js'
import { createNotifiers } from '../../src/notifiers/index.js'
import { startWebhookCatcher, type WebhookCatcher } from '../fakes/webhook.js'
import { minimalConfig, tempProject } from '../helpers/project.js'
import { completedRun, sampleResult, suiteInfo } from '../helpers/results.js'

/*
 * The dispatcher: notifiers run side by side, a failing or hanging one is logged and reported,
 * never thrown; events a notifier does not want are skipped. And the gate sends its verdict.
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

function capture() {
  const lines: string[] = []
  return { lines, logger: createLogger({ level: 'debug', write: (l) => lines.push(l) }) }
}

const NOW = new Date('2026-11-30T12:00:00.000Z')
const event = pipelineEvent(
  'smoke.failed',
  { summary: 'smoke of staging failed: /health answered 503', target: 'staging' },
  NOW,
)

describe('pipelineEvent', () => {
  it('stamps the time and the severity of the type', () => {
    expect(event).toEqual({
      type: 'smoke.failed',
      severity: 'warning',
      at: '2026-11-30T12:00:00.000Z',
      summary: 'smoke of staging failed: /health answered 503',
      target: 'staging',
    })
    expect(pipelineEvent('rollback.failed', { summary: 'x' }, NOW).severity).toBe('critical')
    expect(pipelineEvent('deploy.succeeded', { summary: 'x' }, NOW).severity).toBe('info')
    // Every event a notifier can subscribe to has a severity, and nothing else does.
    expect(Object.keys(EVENT_SEVERITY).sort()).toEqual([...EVENT_NAMES].sort())
  })
})

describe('notifyAll', () => {
  it('delivers through the working notifier when another fails, and resolves', async () => {
    const broken = await catcher({ failFirst: 9, failWith: { status: 400, body: 'nope' } })
    const working = await catcher()
    const { lines, logger } = capture()
    const notifiers = createNotifiers(
      [
        {
          type: 'webhook',
          name: 'broken',
          url: `${broken.url}/XXXXsecret`,
          retries: 2,
          timeout: '1s',
        },
        { type: 'webhook', name: 'audit', urlEnv: 'AUDIT_URL', retries: 2, timeout: '1s' },
        { type: 'slack', webhookUrlEnv: 'SLACK_WEBHOOK_URL' },
      ],
      { env: { AUDIT_URL: working.url }, logger },
    )
    const results = await notifyAll(notifiers, event, { logger })
    expect(results).toEqual([
      { notifier: 'broken', ok: false, error: 'webhook "broken": HTTP 400: nope (1 attempt)' },
      { notifier: 'audit', ok: true },
      {
        notifier: 'slack',
        ok: false,
        error: expect.stringContaining('SLACK_WEBHOOK_URL is not set') as string,
      },
    ])
    expect(working.requests.map((r) => (r.json as PipelineEvent).type)).toEqual(['smoke.failed'])
    const warnings = lines.filter((l) => l.startsWith('warn: '))
    expect(warnings).toHaveLength(2)
    expect(warnings.find((l) => l.includes('notifier broken '))).toBe(
      'warn: notifier broken could not send smoke.failed: webhook "broken": HTTP 400: nope (1 attempt)',
    )
    expect(warnings.find((l) => l.includes('notifier slack '))).toContain('SLACK_WEBHOOK_URL')
    expect(lines.join('\n')).not.toMatch(/XXXXsecret|127\.0\.0\.1/)
  })

  it('skips notifiers that do not subscribe to the event', async () => {
    const server = await catcher()
    const { logger } = capture()
    const notifiers = createNotifiers(
      [{ type: 'webhook', url: server.url, retries: 0, timeout: '1s', events: ['gate.failed'] }],
      { env: {}, logger },
    )
    expect(await notifyAll(notifiers, event, { logger })).toEqual([
      { notifier: 'webhook', ok: true, skipped: true },
    ])
    expect(server.requests).toHaveLength(0)
  })

  it('stops waiting for a notifier that hangs and ignores its signal', async () => {
    const { lines, logger } = capture()
    const hanging: Notifier = { name: 'stuck', notify: () => new Promise(() => undefined) }
    const throwing: Notifier = {
      name: 'sync',
      notify: () => {
        throw new Error('boom')
      },
    }
    const started = Date.now()
    const results = await notifyAll([hanging, throwing], event, { logger, timeoutMs: 200 })
    expect(Date.now() - started).toBeLessThan(1_000)
    expect(results).toEqual([
      { notifier: 'stuck', ok: false, error: 'timed out after 200ms' },
      { notifier: 'sync', ok: false, error: 'boom' },
    ])
    expect(lines.filter((l) => l.startsWith('warn: '))).toHaveLength(2)
  })

  it('aborts deliveries in flight when its signal aborts', async () => {
    const server = await catcher({ reply: () => ({ status: 200, delayMs: 5_000 }) })
    const { logger } = capture()
    const notifiers = createNotifiers(
      [{ type: 'webhook', url: server.url, retries: 3, timeout: '10s' }],
      {
        env: {},
        logger,
      },
    )
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    const results = await notifyAll(notifiers, event, { logger, signal: controller.signal })
    expect(results).toEqual([{ notifier: 'webhook', ok: false, error: 'cancelled' }])
    expect(server.requests).toHaveLength(1)
  })
})

describe('gate notifications', () => {
  async function gateWith(pass: boolean, url: string) {
    const dir = tempProject({
      'shipgate.yaml': `${minimalConfig()}notify:\n  - { type: webhook, name: ci, url: "${url}", retries: 0 }\n`,
    })
    const results = buildResults({
      run: completedRun({
        id: '20261130-120000-abcdef',
        git: { commit: 'abc1234def', branch: 'feat', dirty: false },
      }),
      suites: [suiteInfo({ name: 'greet', threshold: 1 })],
      cases: [{ suite: 'greet', id: 'one', vars: {}, tags: [] }],
      samples: [sampleResult({ suite: 'greet', caseId: 'one', pass, score: pass ? 1 : 0 })],
    })
    const { logger } = capture()
    return gate({ cwd: dir, env: {}, results, baseline: 'none.json', logger })
  }

  it('posts gate.failed with the failed checks when the gate fails, gate.passed when it passes', async () => {
    const server = await catcher()
    const failed = await gateWith(false, `${server.url}/gate`)
    expect(failed.verdict.pass).toBe(false)
    await gateWith(true, `${server.url}/gate`)
    const bodies = server.requests.map((r) => r.json as PipelineEvent)
    expect(bodies.map((b) => [b.type, b.severity])).toEqual([
      ['gate.failed', 'warning'],
      ['gate.passed', 'info'],
    ])
    expect(bodies[0]?.summary).toMatch(
      /^gate failed for run 20261130-120000-abcdef \(feat @ abc1234\): .*threshold/,
    )
    expect(bodies[0]?.details).toMatchObject({
      run: '20261130-120000-abcdef',
      failed: ['suite.greet.threshold'],
    })
  })

  it('still returns the verdict when the notifier is down', async () => {
    const closed = await startWebhookCatcher()
    await closed.close()
    const { verdict } = await gateWith(false, closed.url)
    expect(verdict.pass).toBe(false)
  })
})
