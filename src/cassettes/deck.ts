import type { CassetteFiles } from './files.js'
import { describeRequest, requestKey, type RequestParts } from './key.js'
import { nearestRecording } from './nearest.js'
import type { CassetteMiss, CassetteMode, Interaction, RecordedRequest } from './types.js'

/** Options shared by every way of serving requests through cassettes (fetch, proxy). */
export interface DeckOptions {
  readonly mode: CassetteMode
  readonly files: CassetteFiles
  /** Values that must never be written (the API keys in use), besides secret-shaped strings. */
  readonly secrets?: readonly string[]
  /** Body fields left out of the key (default: user, metadata, safety_identifier). */
  readonly ignoreFields?: readonly string[]
  /**
   * When an identical request comes more often than it was recorded, answer it with the
   * recordings in turn (the proxy, which serves test run after test run) instead of failing
   * (an eval, where a missing sample must not be faked from another).
   */
  readonly cycle?: boolean
  /** Told of every replay miss, before the call fails. */
  readonly onMiss?: (miss: CassetteMiss) => void
}

/** What to do with a request. */
export type Lookup =
  /** Cassettes are off: call out, record nothing. */
  | { readonly kind: 'pass' }
  /** Answer with this recording. */
  | { readonly kind: 'hit'; readonly interaction: Interaction }
  /** Replay only, and nothing is recorded: fail. */
  | { readonly kind: 'miss'; readonly miss: CassetteMiss }
  /** Call out; if the answer is a success, record it with `save`, redacting `secrets`. */
  | {
      readonly kind: 'record'
      readonly save: (interaction: Interaction) => void
      readonly secrets: readonly string[]
    }

/** Headers that carry credentials. */
const CREDENTIAL_HEADERS = [
  'authorization',
  'x-api-key',
  'api-key',
  'proxy-authorization',
  'cookie',
]

/**
 * The cassette logic, without any transport: keys a request (credentials dropped, secrets
 * redacted), gives it its ordinal (the n-th identical request of this process gets the n-th
 * recording), and says whether to replay, fail, or call out and record. `replay` answers only
 * from cassettes; `record-missing` replays what it has and records the rest (the response
 * cache); `record` calls out for everything and re-records; `passthrough` is off.
 */
export function createDeck(options: DeckOptions): { lookup(parts: RequestParts): Promise<Lookup> } {
  const ordinals = new Map<string, number>()
  const { files, mode } = options
  return {
    async lookup(parts) {
      if (mode === 'passthrough') return { kind: 'pass' }
      // The request's own credentials are redacted wherever they might be echoed, besides the
      // secrets the caller named.
      const secrets = [...(options.secrets ?? []), ...credentials(parts.header)]
      const request: RecordedRequest = describeRequest(parts, {
        secrets,
        ...(options.ignoreFields === undefined ? {} : { ignoreFields: options.ignoreFields }),
      })
      const key = requestKey(request)
      const ordinal = ordinals.get(key) ?? 0
      ordinals.set(key, ordinal + 1)
      if (mode !== 'record') {
        const interaction = files.interaction(request, key, ordinal, options.cycle === true)
        if (interaction !== undefined) return { kind: 'hit', interaction }
        if (mode === 'replay') {
          const miss: CassetteMiss = {
            request,
            key,
            ordinal,
            nearest: await nearestRecording(files, request),
          }
          options.onMiss?.(miss)
          return { kind: 'miss', miss }
        }
      }
      return {
        kind: 'record',
        secrets,
        save: (interaction) => files.put(request, key, ordinal, interaction),
      }
    },
  }
}

/** The credential values a request carries (a bearer token without its scheme). */
function credentials(header: (name: string) => string | null): string[] {
  return CREDENTIAL_HEADERS.map(header)
    .filter((v): v is string => v !== null)
    .map((v) => v.replace(/^(Bearer|Basic)\s+/i, ''))
}
