/*
 * `slack`: an incoming webhook. The webhook URL is the secret, so it is read from the variable
 * `webhookUrlEnv` names when an event is sent, and never appears in a message or a log.
 */
import type { Notifier } from '../contracts/notifier.js'
import { environmentError } from '../errors.js'
import { checkedUrl, requireEnv } from './env.js'
import { postOptionsOf, postWithRetries, userAgent } from './post.js'
import type { NotifierConfig } from './schemas.js'
import { slackMessage } from './slack-message.js'
import type { NotifierFactory } from './types.js'

type SlackConfig = Extract<NotifierConfig, { type: 'slack' }>

/** Slack answers within a few seconds or not at all; two retries cover its 429s and blips. */
const RETRIES = 2
const TIMEOUT_MS = 5_000

/** Builds a `slack` notifier. */
export const slackNotifier: NotifierFactory<SlackConfig> = (config, deps): Notifier => ({
  name: config.name,
  ...(config.events === undefined ? {} : { events: config.events }),
  async notify(event, signal) {
    const what = `slack "${config.name}"`
    const url = checkedUrl(
      requireEnv(deps.env, config.webhookUrlEnv, `${what} webhook URL`),
      `${what}: ${config.webhookUrlEnv}`,
    )
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': userAgent(),
    }
    const outcome = await postWithRetries(
      url,
      JSON.stringify(slackMessage(event)),
      () => headers,
      postOptionsOf(deps, { retries: RETRIES, timeoutMs: TIMEOUT_MS, signal }),
    )
    if (!outcome.ok) throw environmentError(`${what}: ${outcome.reason}`)
  },
})
