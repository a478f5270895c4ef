import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Logger } from '../contracts/logger.js'
import { CassetteMissError } from './fetch.js'
import { describeMiss } from './nearest.js'

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
  /** The cassette fetch that serves the requests (see cassettes/fetch.ts). */
  readonly fetch: typeof fetch
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
 * language can run on recorded LLM traffic by pointing its SDK's base URL here.
 */
export async function startProxy(options: ProxyOptions): Promise<Proxy> {
  const server = createServer((req, res) => {
    void handle(req, res, options)
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
  const aborted = new AbortController()
  res.on('close', () => {
    if (!res.writableFinished) aborted.abort()
  })
  try {
    const body = await readBody(req)
    const upstream = `${options.upstreams[api].replace(/\/+$/, '')}${req.url ?? path}`
    const response = await options.fetch(upstream, {
      method: 'POST',
      headers: forwarded(req.headers),
      body,
      signal: aborted.signal,
    })
    res.writeHead(response.status, copied(response.headers))
    if (response.body === null) return void res.end()
    await pipeline(Readable.fromWeb(response.body), res)
  } catch (error) {
    if (aborted.signal.aborted) return
    if (error instanceof CassetteMissError) {
      options.logger.warn(describeMiss(error.miss))
      return send(res, 404, missBody(api, describeMiss(error.miss)))
    }
    options.logger.error(`proxy: ${(error as Error).message}`)
    if (!res.headersSent)
      send(res, 502, {
        error: {
          type: 'api_error',
          message: `shipgate proxy: upstream failed: ${(error as Error).message}`,
        },
      })
    else res.destroy()
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

function forwarded(headers: IncomingHttpHeaders): Headers {
  const out = new Headers()
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || DROPPED_REQUEST.has(name)) continue
    out.set(name, Array.isArray(value) ? value.join(', ') : value)
  }
  return out
}

function copied(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {}
  headers.forEach((value, name) => {
    if (!DROPPED_RESPONSE.has(name)) out[name] = value
  })
  return out
}
