import { CASSETTE_HEADER } from '../contracts/cassette.js'
import type {
  BatchEntry,
  BatchOutcome,
  CompletionResult,
  ProviderError,
} from '../contracts/provider.js'
import { errorMessage } from '../utils/errors.js'

/** What the batch APIs of the SDK-based providers (openai, anthropic) share. */

/** Entries in custom-id order: a batch's file or body is the same whatever order calls came in. */
export function byCustomId(entries: readonly BatchEntry[]): BatchEntry[] {
  return [...entries].sort((a, b) =>
    a.customId < b.customId ? -1 : a.customId > b.customId ? 1 : 0,
  )
}

/** True when the API's answer came from a cassette. */
export function replayed(response: Response): boolean {
  return response.headers.get(CASSETTE_HEADER) === 'replay'
}

/** Each line of a JSONL text, parsed; blank lines are skipped, a line that is not JSON throws. */
export function jsonLines(text: string): unknown[] {
  const out: unknown[] = []
  for (const line of text.split('\n')) {
    if (line.trim() !== '') out.push(JSON.parse(line) as unknown)
  }
  return out
}

/** A request that did not run, to be sent again live. */
export function notRun(reason: string): BatchOutcome {
  return { ran: false, reason }
}

/** A request that ran, with the answer or failure a live call would have given. */
export function ran(result: CompletionResult): BatchOutcome {
  return { ran: true, result }
}

/** A failure of a request that ran; `retryable` ones are sent again live. */
export function ranWith(error: ProviderError): BatchOutcome {
  return { ran: true, result: { ok: false, error } }
}

/** A result line that is no answer the API gives: worth one live try. */
export function unreadable(error: unknown): BatchOutcome {
  return ranWith({
    kind: 'unavailable',
    message: `the batch result is not an answer: ${errorMessage(error)}`,
    retryable: true,
  })
}

/** Milliseconds between two API timestamps (Unix seconds or ISO text); 0 when either is missing. */
export function waitMs(
  from: number | string | null | undefined,
  to: number | string | null | undefined,
): number {
  const ms = (t: number | string | null | undefined) =>
    typeof t === 'number' ? t * 1000 : typeof t === 'string' ? Date.parse(t) : Number.NaN
  const wait = ms(to) - ms(from)
  return Number.isFinite(wait) && wait > 0 ? wait : 0
}
