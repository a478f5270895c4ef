import http, {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { CASSETTE_HEADER, LATENCY_HEADER } from '../contracts/cassette.js'
import type { Logger } from '../contracts/logger.js'
import { agents } from '../utils/http-fetch.js'
import { redactJson, redactText } from '../utils/secrets.js'
import type { createDeck } from './deck.js'
import { describeMiss } from './nearest.js'
import { SseSplitter } from './sse.js'
import type { Interaction, RecordedEvent } from './types.js'

/** The API families the proxy serves, by the paths their SDKs call. */
export type Api = 'anthropic' | 'openai'

const ROUTES: Readonly<Record<string, Api>> = {
  '/v1/messages': 'anthropic',
  '/v1/chat/completions': 'openai',
  '/v1/responses': 'openai',
}

/** Options of {@link startProxy}. */
export interface ProxyOptions {
  /** 0 picks a free port. */
  readonly port: number
  /** Loopback unless told otherwise. */
  readonly host?: string
  /**
   * Where each API is forwarded when a call goes out (record, record-missing, passthrough): an
   * origin, optionally with a path prefix; the request path (`/v1/...`) is appended.
   */
  readonly upstreams: Readonly<Record<Api, string>>
  /** The cassette logic (see cassettes/deck.ts). */
  readonly deck: ReturnType<typeof createDeck>
  /** Replayed streams: all events at once, or at their recorded offsets. */
  readonly timing?: 'instant' | 'recorded'
  readonly logger: Logger
}

/** A running proxy. */
export interface Proxy {
  /** Its base URL, e.g. `http://127.0.0.1:8787`; SDKs take `${url}` (Anthropic) or `${url}/v1` (OpenAI). */
  readonly url: string
  close(): Promise<void>
}

/** Request headers not forwarded: hop-by-hop ones, and encodings the proxy would have to undo. */
const DROPPED_REQUEST = new Set([
  'host',
  'connection',
  'content-length',
  'accept-encoding',
  'keep-alive',
  'transfer-encoding',
])
/** Response headers not copied back: the body is re-framed by this server. */
const DROPPED_RESPONSE = new Set([
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'connection',
  'keep-alive',
])

/**
 * `shipgate proxy`: an HTTP server that speaks the Anthropic Messages and OpenAI Chat Completions
 * and Responses APIs, streaming included, answering through cassettes, so an application in any
 * language can run on recorded LLM traffic by pointing its SDK's base URL here. Bodies move as
 * Node streams end to end: no web-stream conversions on the hot path.
 */
export async function startProxy(options: ProxyOptions): Promise<Proxy> {
  const server = createServer((req, res) => {
    void handle(req, res, options).catch((error: unknown) => {
      options.logger.error(`proxy: ${(error as Error).message}`)
      if (!res.headersSent)
        send(res, 502, {
          error: { type: 'api_error', message: `shipgate proxy: ${(error as Error).message}` },
        })
      else res.destroy()
    })
  })
  server.keepAliveTimeout = 65_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve())
  })
  const { address, port } = server.address() as AddressInfo
  const host = address.includes(':') ? `[${address}]` : address
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: ProxyOptions,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/'
  const api = ROUTES[path]
  if (api === undefined || req.method !== 'POST') {
    return send(res, 404, {
      error: {
        type: 'not_found_error',
        message: `shipgate proxy serves POST ${Object.keys(ROUTES).join(', ')}`,
      },
    })
  }
  const body = await readBody(req)
  const upstream = new URL(`${options.upstreams[api].replace(/\/+$/, '')}${req.url ?? path}`)
  const lookup = await options.deck.lookup({
    method: 'POST',
    url: upstream,
    header: (name) => headerOf(req.headers, name),
    body,
  })
  switch (lookup.kind) {
    case 'hit':
      return replay(res, lookup.interaction, options.timing ?? 'instant')
    case 'miss':
      options.logger.warn(describeMiss(lookup.miss))
      return send(res, 404, missBody(api, describeMiss(lookup.miss)))
    case 'pass':
      return forward(req, res, upstream, body)
    case 'record':
      return forward(req, res, upstream, body, lookup)
  }
}

/** Sends a recording: its status, content type and body, or its events in order. */
function replay(
  res: ServerResponse,
  recorded: Interaction,
  timing: 'instant' | 'recorded',
): Promise<void> {
  const { response } = recorded
  res.writeHead(response.status, {
    ...response.headers,
    [CASSETTE_HEADER]: 'replay',
    [LATENCY_HEADER]: String(recorded.latencyMs),
  })
  if (response.events === undefined) {
    res.end(response.text ?? JSON.stringify(response.body))
    return Promise.resolve()
  }
  if (timing === 'instant') {
    res.end(response.events.map((e) => `${e.data}\n\n`).join(''))
    return Promise.resolve()
  }
  return paced(res, response.events)
}

async function paced(res: ServerResponse, events: readonly RecordedEvent[]): Promise<void> {
  // Each event is due at its offset from the start, not after the previous one: timer lateness
  // does not add up over a long stream.
  const started = performance.now()
  for (const event of events) {
    if (res.destroyed) return
    const wait = started + event.offsetMs - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    res.write(`${event.data}\n\n`)
  }
  res.end()
}

/**
 * Forwards a request upstream and streams the answer back as it arrives; when recording, a
 * success is kept (events with their offsets, or the whole body) and saved at its end.
 */
function forward(
  req: IncomingMessage,
  res: ServerResponse,
  upstream: URL,
  body: string,
  recording?: { save: (interaction: Interaction) => void; secrets: readonly string[] },
): Promise<void> {
  const transport = upstream.protocol === 'https:' ? https : http
  const started = performance.now()
  const recordedAt = new Date().toISOString()
  return new Promise((resolve, reject) => {
    const out = transport.request(
      upstream,
      {
        method: 'POST',
        headers: forwarded(req.headers),
        agent: agents[upstream.protocol === 'https:' ? 'https:' : 'http:'],
      },
      (answer) => {
        const status = answer.statusCode ?? 502
        res.writeHead(status, copied(answer.headers))
        const keep = recording !== undefined && status >= 200 && status < 300
        const contentType = String(answer.headers['content-type'] ?? '')
        const collect = keep ? collector(contentType, started, recording.secrets) : undefined
        answer.on('data', (chunk: Buffer) => {
          collect?.add(chunk)
          res.write(chunk)
        })
        answer.on('end', () => {
          res.end()
          if (collect !== undefined && recording !== undefined) {
            recording.save({
              recordedAt,
              latencyMs: performance.now() - started,
              response: {
                status,
                headers: contentType === '' ? {} : { 'content-type': contentType },
                ...collect.done(),
              },
            })
          }
          resolve()
        })
        answer.on('error', reject)
      },
    )
    out.on('error', reject)
    res.on('close', () => {
      if (!res.writableFinished) out.destroy()
    })
    out.end(body)
  })
}

/** Gathers an answer for its cassette: SSE events as they arrive, or the whole body. */
function collector(contentType: string, started: number, secrets: readonly string[]) {
  const decoder = new TextDecoder()
  if (contentType.includes('text/event-stream')) {
    const splitter = new SseSplitter()
    const events: RecordedEvent[] = []
    const push = (blocks: string[]): void => {
      const offsetMs = performance.now() - started
      for (const data of blocks) events.push({ offsetMs, data: redactText(data, secrets) })
    }
    return {
      add: (chunk: Buffer) => push(splitter.push(decoder.decode(chunk, { stream: true }))),
      done: () => {
        const rest = splitter.flush()
        push([...splitter.push(decoder.decode()), ...(rest === undefined ? [] : [rest])])
        return { events }
      },
    }
  }
  const chunks: Buffer[] = []
  return {
    add: (chunk: Buffer) => void chunks.push(chunk),
    done: () => {
      const text = Buffer.concat(chunks).toString('utf8')
      try {
        return contentType.includes('json')
          ? { body: redactJson(JSON.parse(text), secrets) }
          : { text: redactText(text, secrets) }
      } catch {
        return { text: redactText(text, secrets) }
      }
    },
  }
}

/** A miss as the API's own error shape, with a status its SDK does not retry. */
function missBody(api: Api, message: string): unknown {
  const text = `shipgate proxy (replay): ${message}`
  return api === 'anthropic'
    ? { type: 'error', error: { type: 'not_found_error', message: text } }
    : {
        error: { message: text, type: 'invalid_request_error', param: null, code: 'cassette_miss' },
      }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function headerOf(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name]
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value
}

function forwarded(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !DROPPED_REQUEST.has(name)) out[name] = value
  }
  return out
}

function copied(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !DROPPED_RESPONSE.has(name)) out[name] = value
  }
  return out
}
