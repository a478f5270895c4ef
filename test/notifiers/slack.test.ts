import { afterEach, describe, expect, it } from 'vitest'
import type { Notifier, PipelineEvent } from '../../src/contracts/notifier.js'
import { createLogger } from '../../src/logger.js'
import { createNotifiers } from '../../src/notifiers/index.js'
import { escapeMrkdwn, slackMessage } from '../../src/notifiers/slack-message.js'
import { startWebhookCatcher, type WebhookCatcher } from '../fakes/webhook.js'

/*
 * The Slack notifier against a loopback catcher standing in for an incoming webhook: the Block
 * Kit payload, escaping of text shipgate does not control, the URL read from the environment.
 */

const catchers: WebhookCatcher[] = []
afterEach(async () => {
  await Promise.all(catchers.splice(0).map((c) => c.close()))
})

const HOSTILE = 'model said <!channel> & <https://evil.example|click here> > done'
const EVENT: PipelineEvent = {
  type: 'monitor.failed',
  severity: 'warning',
  summary: `monitor of staging failed: ${HOSTILE}`,
  at: '2026-11-30T12:00:00.000Z',
  target: 'staging',
  releaseId: 'rel-3f2a00000000',
  deploymentId: 'dep-1',
  details: { errorRate: 0.2143, limit: 0.05, reason: '<@U123> quoted' },
}

interface Block {
  type: string
  text?: { type: string; text: string }
  fields?: { type: string; text: string }[]
  elements?: { type: string; text: string }[]
}

function slack(env: Record<string, string>, lines: string[] = [], name?: string): Notifier {
  const logger = createLogger({ level: 'debug', write: (l) => lines.push(l) })
  const config = {
    type: 'slack' as const,
    webhookUrlEnv: 'SLACK_WEBHOOK_URL',
    ...(name ? { name } : {}),
  }
  return createNotifiers([config], { env, logger, retryBaseMs: 5 })[0] as Notifier
}

describe('slack notifier', () => {
  it('posts a Block Kit message with a header, the summary, fields and a fallback', async () => {
    const server = await startWebhookCatcher()
    catchers.push(server)
    const url = `${server.url}/services/T000/B000/XXXX`
    await slack({ SLACK_WEBHOOK_URL: url }).notify(EVENT, new AbortController().signal)
    expect(server.requests).toHaveLength(1)
    const request = server.requests[0]
    expect(request?.path).toBe('/services/T000/B000/XXXX')
    expect(request?.headers['content-type']).toMatch(/^application\/json/)
    const body = request?.json as { text: string; blocks: Block[] }
    expect(body.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context'])
    expect(body.blocks[0]?.text).toEqual({
      type: 'plain_text',
      text: ':warning: monitor.failed',
      emoji: true,
    })
    const summary = body.blocks[1]?.text?.text ?? ''
    expect(summary).toBe(
      'monitor of staging failed: model said &lt;!channel&gt; &amp; &lt;https://evil.example|click here&gt; &gt; done',
    )
    const fields = body.blocks[2]?.fields?.map((f) => f.text) ?? []
    expect(fields).toEqual([
      '*Target*\nstaging',
      '*Release*\nrel-3f2a00000000',
      '*Deployment*\ndep-1',
      '*errorRate*\n0.2143',
      '*limit*\n0.05',
      '*reason*\n&lt;@U123&gt; quoted',
    ])
    expect(body.text).toBe(`:warning: monitor.failed: ${summary}`)
    expect(request?.raw).not.toMatch(/<!channel>|<@U123>|<https:/)
  })

  it('retries a 500 from Slack', async () => {
    const server = await startWebhookCatcher({ failFirst: 1, failWith: { status: 500 } })
    catchers.push(server)
    await slack({ SLACK_WEBHOOK_URL: server.url }).notify(EVENT, new AbortController().signal)
    expect(server.requests).toHaveLength(2)
  })

  it('names the missing variable and keeps the webhook URL out of errors and logs', async () => {
    const lines: string[] = []
    await expect(
      slack({}, lines, 'ops').notify(EVENT, new AbortController().signal),
    ).rejects.toThrow(
      'slack "ops" webhook URL: the environment variable SLACK_WEBHOOK_URL is not set',
    )
    const server = await startWebhookCatcher({
      failFirst: 9,
      failWith: { status: 404, body: 'no_service' },
    })
    catchers.push(server)
    const url = `${server.url}/services/T000/B000/XXXXsecret`
    const error = await slack({ SLACK_WEBHOOK_URL: url }, lines, 'ops')
      .notify(EVENT, new AbortController().signal)
      .catch((e: unknown) => e as Error)
    expect(error?.message).toBe('slack "ops": HTTP 404: no_service')
    expect(server.requests).toHaveLength(1)
    expect(`${lines.join('\n')}${error?.message}`).not.toContain('XXXXsecret')
  })

  it('escapes only &, < and >, and cuts long fields inside Slack limits', () => {
    expect(escapeMrkdwn('a & b < c > d *bold*')).toBe('a &amp; b &lt; c &gt; d *bold*')
    const long = slackMessage({ ...EVENT, details: { big: '&'.repeat(5_000) } })
    const fields = long.blocks.find((b) => 'fields' in b && b.fields !== undefined) as Block
    const big = fields.fields?.find((f) => f.text.startsWith('*big*'))?.text ?? ''
    expect(big.length).toBeLessThanOrEqual(2_000)
    expect(big).toMatch(/(&amp;)+…$/)
    const many = slackMessage({
      ...EVENT,
      details: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])),
    })
    const section = many.blocks.find((b) => 'fields' in b && b.fields !== undefined) as Block
    expect(section.fields).toHaveLength(10)
  })
})
