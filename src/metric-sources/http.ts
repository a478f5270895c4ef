/** The one HTTP read both metric sources make, with failures turned into clear messages. */
import { errorMessage } from '../utils/errors.js'

/** Longest a single metrics request may take. */
const TIMEOUT_MS = 10_000

/** A successful answer's body and content type. */
export interface Fetched {
  readonly status: number
  readonly statusText: string
  readonly text: string
}

/**
 * GETs `url`; resolves with any HTTP answer, rejects with `what: connection refused` (and the
 * like) when there is none. Aborting `signal` rejects with the abort reason.
 */
export async function getText(
  url: string | URL,
  accept: string,
  signal: AbortSignal,
  what: string,
): Promise<Fetched> {
  try {
    const response = await fetch(url, {
      headers: { accept },
      signal: AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]),
    })
    return { status: response.status, statusText: response.statusText, text: await response.text() }
  } catch (error) {
    if (signal.aborted) throw signal.reason
    throw new Error(`${what}: ${reasonOf(error)}`, { cause: error })
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError')
    return `no answer within ${TIMEOUT_MS / 1000} s`
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined
  if (cause?.code === 'ECONNREFUSED') return 'connection refused'
  if (cause?.code === 'ENOTFOUND') return 'host not found'
  const inner = error instanceof Error && error.cause instanceof Error ? error.cause : error
  return errorMessage(inner)
}
