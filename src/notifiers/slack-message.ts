/*
 * A pipeline event as a Slack Block Kit message: a header (severity emoji and event type), the
 * summary, fields for target, release, deployment and the key details, and a `text` fallback for
 * notifications. Everything from outside shipgate (summaries quote model output and check
 * messages) is escaped for mrkdwn, so it cannot ping a channel or forge a link.
 */
import type { PipelineEvent } from '../contracts/notifier.js'

/** A Slack message as an incoming webhook takes it. */
export interface SlackMessage {
  readonly text: string
  readonly blocks: readonly SlackBlock[]
}

type TextObject = {
  readonly type: 'plain_text' | 'mrkdwn'
  readonly text: string
  readonly emoji?: boolean
}
type SlackBlock =
  | { readonly type: 'header'; readonly text: TextObject }
  | { readonly type: 'section'; readonly text?: TextObject; readonly fields?: TextObject[] }
  | { readonly type: 'context'; readonly elements: TextObject[] }

const EMOJI: Record<PipelineEvent['severity'], string> = {
  info: ':white_check_mark:',
  warning: ':warning:',
  critical: ':rotating_light:',
}

/** Slack's limits: 10 fields per section, 2,000 characters per field, 3,000 per text. */
const MAX_FIELDS = 10
const MAX_FIELD = 2_000
const MAX_TEXT = 3_000

/** `&`, `<` and `>` as Slack wants them in mrkdwn and in `text`. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}

/** The Block Kit message of `event`. */
export function slackMessage(event: PipelineEvent): SlackMessage {
  const emoji = EMOJI[event.severity]
  const summary = clip(escapeMrkdwn(event.summary), MAX_TEXT)
  const fields = fieldsOf(event)
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: `${emoji} ${event.type}`, emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: summary } },
    ...(fields.length === 0 ? [] : [{ type: 'section' as const, fields }]),
    {
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: `shipgate · ${event.severity} · ${escapeMrkdwn(event.at)}` },
      ],
    },
  ]
  return { text: clip(`${emoji} ${event.type}: ${summary}`, MAX_TEXT), blocks }
}

function fieldsOf(event: PipelineEvent): TextObject[] {
  const named: [string, unknown][] = [
    ['Target', event.target],
    ['Release', event.releaseId],
    ['Deployment', event.deploymentId],
    ...Object.entries(event.details ?? {}),
  ]
  return named
    .filter(([, value]) => value !== undefined && value !== null)
    .slice(0, MAX_FIELDS)
    .map(([name, value]) => ({
      type: 'mrkdwn',
      text: clip(`*${escapeMrkdwn(name)}*\n${escapeMrkdwn(show(value))}`, MAX_FIELD),
    }))
}

function show(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)))
  return JSON.stringify(value)
}

function clip(text: string, max: number): string {
  // A cut must not leave half an entity (`&am`) behind.
  return text.length <= max ? text : `${text.slice(0, max - 1).replace(/&[a-z]*$/, '')}…`
}
