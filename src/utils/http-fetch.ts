import http from 'node:http'
import https from 'node:https'
import { LATENCY_HEADER } from '../contracts/cassette.js'
import { hasBody, nodeResponse } from './http-response.js'

/** Keep-alive agents for calls out, by protocol (shared with the proxy's upstream calls). */
export const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: Infinity }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: Infinity }),
}

/**
 * A `fetch` over node:http(s) with keep-alive agents, for the calls to model APIs. It costs
 * about a third less CPU per call than Node's built-in fetch (measured: 0.55 vs 0.81 ms per SDK
 * call), which matters when dozens of calls are in flight on one core. It also times the
 * exchange itself — from the request leaving to the last byte of the answer — and reports it in
 * the `x-shipgate-latency-ms` response header, so providers report the call's latency rather
 * than the time the SDK spent building the request or parsing the answer.
 */
export function httpFetch(
  input: string | URL | Request,
  init: RequestInit = {},
): Promise<Response> {
  if (input instanceof Request) return globalThis.fetch(input, init)
  const url = new URL(String(input))
  const transport = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined
  if (transport === undefined) return globalThis.fetch(input, init)
  const headers = headerRecord(init.headers)
  const body =
    typeof init.body === 'string' || init.body instanceof Uint8Array ? init.body : undefined
  if (init.body !== undefined && init.body !== null && body === undefined)
    return globalThis.fetch(input, init)
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const request = transport.request(
      url,
      {
        method: init.method ?? 'GET',
        headers,
        agent: agents[url.protocol as 'http:' | 'https:'],
        ...(init.signal === null || init.signal === undefined ? {} : { signal: init.signal }),
      },
      (res) => {
        const response = nodeResponse(res, url.href)
        // Stamped when the last byte arrives, before the reader sees the end of the body.
        const stamp = (): void =>
          response.headers.set(LATENCY_HEADER, (performance.now() - started).toFixed(3))
        if (!hasBody(response.status)) {
          stamp()
          res.resume()
        } else {
          res.on('end', stamp)
        }
        // Handed over after the other sockets' reads of this round: when many answers arrive
        // together, each one's end is stamped on arrival rather than after the callers' work on
        // the answers before it.
        setImmediate(() => resolve(response))
      },
    )
    request.on('error', (error) =>
      reject(new TypeError(`fetch failed: ${error.message}`, { cause: error })),
    )
    request.end(body)
  })
}

/**
 * The request's headers as node:http takes them: lower-cased names, repeated ones joined, as
 * `Headers` iterates them. A `Headers` (what the SDKs pass) is read as it is, not copied first.
 */
function headerRecord(init: RequestInit['headers']): Record<string, string> {
  const record: Record<string, string> = {}
  const headers = init instanceof Headers ? init : new Headers(init)
  headers.forEach((value, name) => (record[name] = value))
  return record
}
