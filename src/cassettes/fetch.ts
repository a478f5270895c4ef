import { CASSETTE_HEADER, LATENCY_HEADER } from '../contracts/cassette.js'
import type { Clock } from '../contracts/clock.js'
import { redactJson, redactText } from '../utils/secrets.js'
import { createDeck, type DeckOptions } from './deck.js'
import { headerReader, type RequestParts } from './key.js'
import { SseSplitter } from './sse.js'
import type { CassetteMiss, Interaction, RecordedEvent } from './types.js'

/** Response headers kept in a cassette. */
const KEPT_HEADERS = ['content-type']

/** Options of {@link createCassetteFetch}. */
export interface CassetteFetchOptions extends DeckOptions {
  /** The real fetch, for the modes that call out. Never called in `replay`. */
  readonly upstream: typeof fetch
  readonly clock: Clock
  /** Replayed streams: all events at once (`instant`, the default) or at their recorded offsets. */
  readonly timing?: 'instant' | 'recorded'
}

/** A replay found no recording. The call fails with it; `miss` says what was asked. */
export class CassetteMissError extends Error {
  override readonly name = 'CassetteMissError'
  constructor(readonly miss: CassetteMiss) {
    super(`cassette miss: ${miss.request.method} ${miss.request.path}`)
  }
}

/**
 * A `fetch` that records and replays through cassettes; hand it to an SDK as its `fetch` option.
 * `replay` answers only from cassettes (a miss fails, nothing leaves the process);
 * `record-missing` answers from cassettes and records what is missing (the response cache);
 * `record` always calls out and re-records; `passthrough` just calls out. Only 2xx answers are
 * recorded. The n-th identical request of a process gets the n-th recording (its ordinal).
 */
export function createCassetteFetch(options: CassetteFetchOptions): typeof fetch {
  const deck = createDeck(options)
  const cassetteFetch: typeof fetch = async (input, init) => {
    const lookup = await deck.lookup(await requestParts(input, init))
    switch (lookup.kind) {
      case 'pass':
        return options.upstream(input, init)
      case 'hit':
        return replay(lookup.interaction, options, init?.signal ?? undefined)
      case 'miss':
        throw new CassetteMissError(lookup.miss)
      case 'record':
        return record(input, init, { ...options, secrets: lookup.secrets }, lookup.save)
    }
  }
  // The OpenAI SDK probes a fetch without a `Response` for FormData support with a `data:` URL,
  // which would otherwise be looked up (a miss in replay) or recorded.
  return Object.assign(cassetteFetch, { Response })
}

async function requestParts(
  input: string | URL | Request,
  init: RequestInit | undefined,
): Promise<RequestParts> {
  if (input instanceof Request) {
    return {
      method: input.method,
      url: new URL(input.url),
      header: headerReader(input.headers),
      body: await input.clone().text(),
    }
  }
  const body = init?.body
  return {
    method: init?.method ?? 'GET',
    url: new URL(String(input)),
    header: headerReader(init?.headers),
    body:
      typeof body === 'string'
        ? body
        : body instanceof FormData
          ? await formText(body)
          : body === undefined || body === null
            ? ''
            : undefined,
  }
}

/**
 * An upload (a batch's JSONL file) as text for its key: each field as `name=value`, a file as
 * `name=@filename` and its content. The multipart boundary, random per request, is left out.
 */
async function formText(form: FormData): Promise<string> {
  const parts: string[] = []
  for (const [name, value] of form) {
    parts.push(
      typeof value === 'string'
        ? `${name}=${value}`
        : `${name}=@${value.name}\n${await value.text()}`,
    )
  }
  return parts.join('\n')
}

/** Calls out and records the answer when it is a success; streams are recorded as they pass. */
async function record(
  input: string | URL | Request,
  init: RequestInit | undefined,
  options: CassetteFetchOptions,
  save: (interaction: Interaction) => void,
): Promise<Response> {
  const { clock } = options
  const started = clock.now()
  const response = await options.upstream(input, init)
  if (!response.ok) return response
  const headers = keptHeaders(response.headers)
  const base = { recordedAt: new Date(started).toISOString(), status: response.status, headers }
  if (
    (response.headers.get('content-type') ?? '').includes('text/event-stream') &&
    response.body !== null
  ) {
    return recordStream(response, base, options, save)
  }
  const text = await response.text()
  const latencyMs = wireLatency(response) ?? clock.now() - started
  save({
    recordedAt: base.recordedAt,
    latencyMs,
    response: { status: base.status, headers, ...bodyOf(text, headers, options.secrets) },
  })
  return new Response(text, {
    status: response.status,
    headers: withMarker(response.headers, 'recorded', latencyMs),
  })
}

function recordStream(
  response: Response,
  base: { recordedAt: string; status: number; headers: Record<string, string> },
  options: CassetteFetchOptions,
  save: (interaction: Interaction) => void,
): Response {
  const { clock } = options
  const started = Date.parse(base.recordedAt)
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  const splitter = new SseSplitter()
  const events: RecordedEvent[] = []
  const add = (blocks: string[]): void => {
    const offsetMs = clock.now() - started
    for (const data of blocks) events.push({ offsetMs, data: redactText(data, options.secrets) })
  }
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read()
      if (done) {
        const tail = splitter.push(decoder.decode())
        const rest = splitter.flush()
        add(rest === undefined ? tail : [...tail, rest])
        // Only a stream that ended normally is recorded: a cut one would replay as complete.
        const latencyMs = wireLatency(response) ?? clock.now() - started
        save({
          recordedAt: base.recordedAt,
          latencyMs,
          response: { status: base.status, headers: base.headers, events },
        })
        outer.headers.set(LATENCY_HEADER, String(latencyMs))
        controller.close()
        return
      }
      add(splitter.push(decoder.decode(value, { stream: true })))
      controller.enqueue(value)
    },
    cancel(reason) {
      return reader.cancel(reason)
    },
  })
  const outer = new Response(stream, {
    status: response.status,
    headers: withMarker(response.headers, 'recorded'),
  })
  return outer
}

/** The exchange's own duration, when the upstream fetch stamped it. */
function wireLatency(response: Response): number | undefined {
  const stamped = Number(response.headers.get(LATENCY_HEADER) ?? Number.NaN)
  return Number.isFinite(stamped) ? stamped : undefined
}

/** Answers from a recording: the same status, content type and body or events. */
function replay(
  recorded: Interaction,
  options: CassetteFetchOptions,
  signal: AbortSignal | undefined,
): Response {
  const { response } = recorded
  // A plain object: one Headers object is built, by Response, instead of three.
  const headers = {
    ...response.headers,
    [CASSETTE_HEADER]: 'replay',
    [LATENCY_HEADER]: String(Math.round(recorded.latencyMs * 1000) / 1000),
  }
  if (response.events !== undefined) {
    return new Response(replayEvents(response.events, options, signal), {
      status: response.status,
      headers,
    })
  }
  const text = response.text ?? JSON.stringify(response.body)
  return new Response(text, { status: response.status, headers })
}

function replayEvents(
  events: readonly RecordedEvent[],
  options: CassetteFetchOptions,
  signal: AbortSignal | undefined,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  if (options.timing !== 'recorded') {
    const bytes = encoder.encode(events.map((e) => `${e.data}\n\n`).join(''))
    return new ReadableStream({
      start(controller) {
        controller.enqueue(bytes)
        controller.close()
      },
    })
  }
  let index = 0
  let started: number | undefined
  return new ReadableStream({
    async pull(controller) {
      const event = events[index++]
      if (event === undefined || signal?.aborted === true) return controller.close()
      // Due at its offset from the start: timer lateness does not add up over a long stream.
      started ??= options.clock.now()
      await options.clock.sleep(Math.max(0, started + event.offsetMs - options.clock.now()), signal)
      controller.enqueue(encoder.encode(`${event.data}\n\n`))
    },
  })
}

function bodyOf(
  text: string,
  headers: Record<string, string>,
  secrets: readonly string[] | undefined,
): { body: unknown } | { text: string } {
  if ((headers['content-type'] ?? '').includes('json')) {
    try {
      return { body: redactJson(JSON.parse(text), secrets) }
    } catch {
      // Not JSON after all: kept as text.
    }
  }
  return { text: redactText(text, secrets) }
}

function keptHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {}
  for (const name of KEPT_HEADERS) {
    const value = headers.get(name)
    if (value !== null) kept[name] = value
  }
  return kept
}

function withMarker(headers: Headers, state: 'replay' | 'recorded', latencyMs?: number): Headers {
  const out = new Headers(headers)
  out.delete('content-length')
  out.delete('content-encoding')
  out.set(CASSETTE_HEADER, state)
  if (latencyMs !== undefined) out.set(LATENCY_HEADER, String(Math.round(latencyMs * 1000) / 1000))
  return out
}
