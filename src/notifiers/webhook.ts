/*
 * `webhook`: the event as JSON to any URL, signed when `secretEnv` is set. The delivery id is an
 * idempotency key: every retry of one event carries the same id, so a receiver can drop repeats.
 */
import { randomUUID } from 'node:crypto'
import type { Notifier, PipelineEvent } from '../contracts/notifier.js'
import { environmentError } from '../errors.js'
import { durationToMs } from '../utils/duration.js'
import { checkedUrl, requireEnv } from './env.js'
import { postOptionsOf, postWithRetries, userAgent } from './post.js'
import type { NotifierConfig } from './schemas.js'
import { signWebhook } from './signature.js'
import type { NotifierFactory } from './types.js'

type WebhookConfig = Extract<NotifierConfig, { type: 'webhook' }>

/** The JSON body of a webhook delivery. */
export interface WebhookBody extends PipelineEvent {
  /** The delivery id (a UUID), the same on every retry; also `x-shipgate-delivery`. */
  readonly id: string
  readonly source: 'shipgate'
}

/** Builds a `webhook` notifier; the URL and secret are read from the environment per event. */
export const webhookNotifier: NotifierFactory<WebhookConfig> = (config, deps): Notifier => ({
  name: config.name,
  ...(config.events === undefined ? {} : { events: config.events }),
  async notify(event, signal) {
    const url = urlOf(config, deps.env)
    const secret =
      config.secretEnv === undefined
        ? undefined
        : requireEnv(deps.env, config.secretEnv, `webhook "${config.name}" secret`)
    const body: WebhookBody = { id: randomUUID(), source: 'shipgate', ...event }
    const text = JSON.stringify(body)
    const timeoutMs = durationToMs(config.timeout)
    const outcome = await postWithRetries(
      url,
      text,
      () => webhookHeaders(body, text, secret, Date.now()),
      postOptionsOf(deps, { retries: config.retries, timeoutMs, signal }),
    )
    if (!outcome.ok) {
      throw environmentError(
        `webhook "${config.name}": ${outcome.reason} (${outcome.attempts} attempt${outcome.attempts === 1 ? '' : 's'})`,
      )
    }
  },
})

/** The headers of one attempt: event, delivery id, timestamp and, with a secret, the signature. */
export function webhookHeaders(
  body: WebhookBody,
  text: string,
  secret: string | undefined,
  nowMs: number,
): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1_000)
  return {
    'content-type': 'application/json',
    'user-agent': userAgent(),
    'x-shipgate-event': body.type,
    'x-shipgate-delivery': body.id,
    'x-shipgate-timestamp': String(timestamp),
    ...(secret === undefined
      ? {}
      : { 'x-shipgate-signature': signWebhook(secret, timestamp, text) }),
  }
}

function urlOf(config: WebhookConfig, env: Readonly<Record<string, string | undefined>>): string {
  const what = `webhook "${config.name}"`
  const fromEnv = config.urlEnv === undefined ? undefined : env[config.urlEnv]?.trim()
  // The variable wins; a fixed `url` is the fallback when it is unset.
  if (config.urlEnv !== undefined && (config.url === undefined || (fromEnv ?? '') !== '')) {
    return checkedUrl(requireEnv(env, config.urlEnv, `${what} URL`), `${what}: ${config.urlEnv}`)
  }
  if (config.url !== undefined) return checkedUrl(config.url, `${what}: url`)
  throw environmentError(`${what} has no URL`, 'set `url`, or `urlEnv` to a variable holding it')
}
