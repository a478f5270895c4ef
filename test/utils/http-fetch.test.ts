import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { LATENCY_HEADER } from '../../src/contracts/cassette.js'
import { httpFetch } from '../../src/utils/http-fetch.js'

/*
 * httpFetch's answers are read as the Fetch API reads a Response (they are not undici's
 * Response, to spare a web stream and two header copies per call): checked against a loopback
 * server, beside what the built-in fetch answers for the same exchange.
 */

let server: Server | undefined

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve))
  server = undefined
})

async function serve(handler: RequestListener): Promise<string> {
  server = createServer(handler)
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/x`
}

/** An answer with repeated and mixed-case headers, in two chunks. */
const answer: RequestListener = (req, res) => {
  res.writeHead(201, 'Made', [
    ['Content-Type', 'application/json'],
    ['X-Request-Id', 'req_1'],
    ['Vary', 'a'],
    ['vary', 'b'],
    ['Set-Cookie', 'a=1'],
    ['Set-Cookie', 'b=2'],
  ])
  res.write('{"method":"')
  setTimeout(() => res.end(`${req.method ?? ''}"}`), 5)
}

describe('httpFetch answers', () => {
  it('read status, headers and body as the built-in fetch reads them', async () => {
    const url = await serve(answer)
    const ours = await httpFetch(url, { method: 'POST', body: '{}' })
    const builtin = await fetch(url, { method: 'POST', body: '{}' })
    expect([ours.status, ours.statusText, ours.ok, ours.url]).toEqual([
      builtin.status,
      builtin.statusText,
      builtin.ok,
      builtin.url,
    ])
    for (const name of ['content-type', 'X-REQUEST-ID', 'vary', 'missing']) {
      expect(ours.headers.get(name)).toBe(builtin.headers.get(name))
      expect(ours.headers.has(name)).toBe(builtin.headers.has(name))
    }
    expect(ours.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
    const sorted = (h: Headers) =>
      [...h].filter(([n]) => n !== LATENCY_HEADER).sort(([a], [b]) => a.localeCompare(b))
    expect(sorted(ours.headers)).toEqual(sorted(builtin.headers))
    expect(await ours.json()).toEqual(await builtin.json())
    // The exchange's own duration is stamped once the body has been read to its end.
    expect(Number(ours.headers.get(LATENCY_HEADER))).toBeGreaterThan(0)
  })

  it('refuse a second read of the body, as a Response does', async () => {
    const ours = await httpFetch(await serve(answer))
    expect(ours.bodyUsed).toBe(false)
    expect(await ours.text()).toBe('{"method":"GET"}')
    expect(ours.bodyUsed).toBe(true)
    await expect(ours.text()).rejects.toThrow(TypeError)
  })

  it('give a streamed answer as a web stream, read chunk by chunk', async () => {
    const ours = await httpFetch(await serve(answer))
    const reader = (ours.body as ReadableStream<Uint8Array>).getReader()
    let text = ''
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      text += Buffer.from(r.value).toString()
    }
    expect(text).toBe('{"method":"GET"}')
  })

  it('answer the rarer Response methods through a real Response', async () => {
    const ours = await httpFetch(await serve(answer))
    const copy = ours.clone()
    expect(await copy.json()).toEqual({ method: 'GET' })
    expect(await (await ours.blob()).text()).toBe('{"method":"GET"}')
    // A real Response of the same answer, built from ours as the cassettes build one.
    expect(new Headers(ours.headers).get('x-request-id')).toBe('req_1')
  })

  it('have no body for a 204 and an empty one for a 200 without content', async () => {
    const url = await serve((req, res) => {
      res.writeHead(req.url?.endsWith('/none') === true ? 204 : 200)
      res.end()
    })
    const none = await httpFetch(url.replace(/x$/, 'none'))
    expect(none.body).toBeNull()
    expect(await none.text()).toBe('')
    expect(none.headers.get(LATENCY_HEADER)).not.toBeNull()
    const empty = await httpFetch(url)
    expect(await empty.arrayBuffer()).toEqual(new ArrayBuffer(0))
  })

  it('reject a body cut mid-answer with the error node:http gives', async () => {
    const ours = await httpFetch(
      await serve((_req, res) => {
        res.writeHead(200, { 'content-length': '100' })
        res.write('{"partial":')
        setTimeout(() => res.socket?.destroy(), 5)
      }),
    )
    await expect(ours.text()).rejects.toMatchObject({ code: 'ECONNRESET' })
  })
})
