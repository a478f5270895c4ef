import { canonicalJson, sha256 } from '../utils/hash.js'
import { redactJson, redactText } from '../utils/secrets.js'
import type { RecordedRequest } from './types.js'

/** Request headers that change the answer, and so belong in the key. */
const KEY_HEADERS = ['anthropic-version', 'anthropic-beta', 'openai-beta'] as const

/** Body fields that name the caller, not the question: left out of the key by default. */
export const DEFAULT_IGNORED_FIELDS: readonly string[] = ['user', 'metadata', 'safety_identifier']

/** The parts of an outgoing request a cassette needs. */
export interface RequestParts {
  readonly method: string
  readonly url: URL
  /** A request header by its lower-case name; `null` when absent. */
  readonly header: (name: string) => string | null
  /** `undefined` for a body that is not text (uploads): such requests are not recorded. */
  readonly body: string | undefined
}

/**
 * The request as a cassette records it, and as its key is computed: credentials and SDK telemetry
 * headers dropped, secret-shaped strings and the `secrets` given redacted, volatile body fields
 * removed, JSON parsed so key order does not matter.
 */
export function describeRequest(
  parts: RequestParts,
  options: { secrets?: readonly string[]; ignoreFields?: readonly string[] } = {},
): RecordedRequest {
  const secrets = options.secrets ?? []
  const headers: Record<string, string> = {}
  for (const name of KEY_HEADERS) {
    const value = parts.header(name)
    if (value !== null) headers[name] = redactText(value, secrets)
  }
  const query = [...parts.url.searchParams.entries()].sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  )
  const search = query.length === 0 ? '' : `?${new URLSearchParams(query).toString()}`
  return {
    method: parts.method.toUpperCase(),
    host: parts.url.host,
    path: redactText(`${parts.url.pathname}${search}`, secrets),
    headers,
    body: parseBody(parts.body, secrets, options.ignoreFields ?? DEFAULT_IGNORED_FIELDS),
  }
}

function parseBody(
  body: string | undefined,
  secrets: readonly string[],
  ignore: readonly string[],
): unknown {
  if (body === undefined || body === '') return null
  try {
    const parsed = JSON.parse(body) as unknown
    const kept =
      parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
        ? Object.fromEntries(Object.entries(parsed).filter(([k]) => !ignore.includes(k)))
        : parsed
    return redactJson(kept, secrets)
  } catch {
    return redactText(body, secrets)
  }
}

/** The cassette key: sha256 of the method, path, key headers and canonical body (not the host). */
export function requestKey(request: RecordedRequest): string {
  const { host: _host, ...keyed } = request
  return sha256(canonicalJson(keyed)).slice(0, 40)
}

/** The model a request names, for organising cassettes; `undefined` when it has none. */
export function modelOf(request: RecordedRequest): string | undefined {
  const body = request.body as { model?: unknown } | null
  return typeof body?.model === 'string' ? body.model : undefined
}

/**
 * Reads headers of any `HeadersInit` by lower-case name without building a `Headers` object,
 * whose validation of every header costs more than the rest of a replayed call.
 */
export function headerReader(init: RequestInit['headers']): (name: string) => string | null {
  if (init === undefined || init === null) return () => null
  if (init instanceof Headers) return (name) => init.get(name)
  const map = new Map<string, string>()
  const pairs = Array.isArray(init) ? init : Object.entries(init)
  for (const [name, value] of pairs) {
    if (value !== undefined && value !== null) map.set(String(name).toLowerCase(), String(value))
  }
  return (name) => map.get(name) ?? null
}
