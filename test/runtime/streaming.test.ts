import Anthropic from '@anthropic-ai/sdk'
import { serve as serveHono } from '@hono/node-server'
import type { ServerType } from '@hono/node-server'
import express from 'express'
import { Hono } from 'hono'
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { expressMiddleware } from '../../packages/runtime/src/adapters/express.js'
import { honoMiddleware } from '../../packages/runtime/src/adapters/hono.js'
import { createRuntimeHandler } from '../../packages/runtime/src/http/handler.js'
import { createTelemetry } from '../../packages/runtime/src/telemetry/telemetry.js'
import type { Telemetry } from '../../packages/runtime/src/telemetry/telemetry.js'
import { startFakeAnthropic } from '../fakes/anthropic.js'
import { cleanup, listen, sample, serve } from './support.js'

/*
 * Streamed bodies over loopback, on the real clock: the recorded request duration is the
 * stream's, to its last byte (within 5 ms of the server's own timeline), and the time to first
 * byte is the first chunk's delay. What the client measures is a cross-check with a wider margin:
 * its chunks cross the event loop it shares with the server, so a loaded machine delays them.
 */

const CHUNKS = 5
const GAP_MS = 40
const TOLERANCE_MS = 5
/** Half a gap: wide enough for a busy event loop, far below the 160 ms a duration cut at the headers would lose. */
const CLIENT_TOLERANCE_MS = GAP_MS / 2
const utf8 = new TextEncoder()

function realTelemetry(): Telemetry {
  return createTelemetry({ service: 'agent', version: '1.0.0', release: 'rel-1' })
}

/** The server's own view of the last stream it sent: when the handler began, sent its first chunk, and ended. */
class Timeline {
  start = Number.NaN
  first = Number.NaN
  end = Number.NaN

  began(): void {
    this.start = performance.now()
    this.first = Number.NaN
  }

  sent(): void {
    if (Number.isNaN(this.first)) this.first = performance.now()
  }

  ended(): void {
    this.end = performance.now()
  }
}

/** 5 chunks, each sent 40 ms after the one before (the first 40 ms after the start). */
function pacedBody(timeline: Timeline): ReadableStream<Uint8Array> {
  timeline.began()
  let sent = 0
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      await sleep(GAP_MS)
      controller.enqueue(utf8.encode(`chunk ${sent}\n`))
      timeline.sent()
      if (++sent < CHUNKS) return
      controller.close()
      timeline.ended()
    },
  })
}

/** GETs `url` and reads the body chunk by chunk: the client's own timings, in ms. */
async function timedGet(url: string): Promise<{ ms: number; firstMs: number; text: string }> {
  const started = performance.now()
  const response = await fetch(url)
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  let firstMs: number | undefined
  let text = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    firstMs ??= performance.now() - started
    text += decoder.decode(value, { stream: true })
  }
  return { ms: performance.now() - started, firstMs: firstMs ?? Number.NaN, text }
}

/** The sums of the recorded durations and times to first byte of `route`, in ms, from /metrics text. */
async function recorded(telemetry: Telemetry, route: string) {
  const text = await telemetry.metricsText()
  const seconds = (name: string) => sample(text, name, { route })
  return {
    ms: seconds('http_server_request_duration_seconds_sum') * 1000,
    firstMs: seconds('http_server_time_to_first_byte_seconds_sum') * 1000,
  }
}

/**
 * Fetches a paced stream from `url` and checks the recorded duration and time to first byte
 * against the stream's real ones (the server's timeline) within 5 ms, and against what the client
 * saw: the body's span (first chunk to end) within half a gap, the whole never longer than the client
 * waited (the client's figure also holds the request's way in, before any middleware runs).
 */
async function checkStream(
  telemetry: Telemetry,
  timeline: Timeline,
  url: string,
  route: string,
  adapter: string,
) {
  // A first stream opens the keep-alive connection and runs every code path once (fetch's,
  // the framework's, the runtime's), outside the timings: the second one is measured.
  await timedGet(url)
  const before = await recorded(telemetry, route)
  const client = await timedGet(url)
  expect(client.text).toBe(Array.from({ length: CHUNKS }, (_, i) => `chunk ${i}\n`).join(''))
  const after = await recorded(telemetry, route)
  const rec = { ms: after.ms - before.ms, firstMs: after.firstMs - before.firstMs }
  const real = { ms: timeline.end - timeline.start, firstMs: timeline.first - timeline.start }
  expect(real.ms).toBeGreaterThanOrEqual(CHUNKS * GAP_MS - 1)
  const f = (x: number) => x.toFixed(2)
  console.log(
    `${adapter}: stream ${f(real.ms)} ms, recorded ${f(rec.ms)} ms (Δ ${f(rec.ms - real.ms)}); ` +
      `first chunk ${f(real.firstMs)} ms, TTFB recorded ${f(rec.firstMs)} ms (Δ ${f(rec.firstMs - real.firstMs)}); ` +
      `client: ${f(client.ms)} ms, body span ${f(client.ms - client.firstMs)} ms vs recorded ${f(rec.ms - rec.firstMs)} ms`,
  )
  expect(Math.abs(rec.ms - real.ms)).toBeLessThanOrEqual(TOLERANCE_MS)
  expect(Math.abs(rec.firstMs - real.firstMs)).toBeLessThanOrEqual(TOLERANCE_MS)
  expect(rec.firstMs).toBeGreaterThanOrEqual(GAP_MS - 1)
  const bodySpan = rec.ms - rec.firstMs - (client.ms - client.firstMs)
  expect(Math.abs(bodySpan)).toBeLessThanOrEqual(CLIENT_TOLERANCE_MS)
  expect(rec.ms).toBeLessThanOrEqual(client.ms)
}

describe('the recorded duration of a streamed response', () => {
  it('node:http with telemetry.wrap: to the end of the body', async () => {
    const telemetry = realTelemetry()
    const timeline = new Timeline()
    const app = telemetry.wrap(() => new Response(pacedBody(timeline)), { route: '/stream' })
    const url = await serve(app)
    await checkStream(telemetry, timeline, `${url}/stream`, '/stream', 'node:http')
  })

  it('Express: to the end of the body', async () => {
    const telemetry = realTelemetry()
    const timeline = new Timeline()
    const app = express()
    app.use(expressMiddleware(createRuntimeHandler({ telemetry }), { telemetry }))
    app.get('/stream', async (_req, res) => {
      timeline.began()
      res.writeHead(200, { 'content-type': 'text/plain' }).flushHeaders()
      for (let i = 0; i < CHUNKS; i++) {
        await sleep(GAP_MS)
        res.write(`chunk ${i}\n`)
        timeline.sent()
      }
      res.end(() => timeline.ended())
    })
    const url = await listen(app.listen(0, '127.0.0.1'))
    await checkStream(telemetry, timeline, `${url}/stream`, '/stream', 'Express')
  })

  it('Hono on @hono/node-server: to the end of the body', async () => {
    const telemetry = realTelemetry()
    const timeline = new Timeline()
    const app = new Hono()
    app.use(honoMiddleware(createRuntimeHandler({ telemetry }), { telemetry }))
    app.get('/stream/:id', () => new Response(pacedBody(timeline)))
    const server = await new Promise<ServerType>((resolve) => {
      const s = serveHono({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
    })
    cleanup(() => new Promise((resolve) => server.close(() => resolve())))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    await checkStream(telemetry, timeline, `${url}/stream/7`, '/stream/:id', 'Hono')
  })

  it('records a body that fails midway as an error, timed to the failure', async () => {
    const telemetry = realTelemetry()
    const url = await serve(
      telemetry.wrap(() => {
        let sent = 0
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            await sleep(GAP_MS)
            if (sent++ === 2) throw new RangeError('upstream gone')
            controller.enqueue(utf8.encode('x'))
          },
        })
        return new Response(body)
      }),
      () => undefined,
    )
    await expect(timedGet(url)).rejects.toThrow()
    const text = await telemetry.metricsText()
    expect(sample(text, 'http_server_errors_total', { error_type: 'RangeError' })).toBe(1)
    const ms = sample(text, 'http_server_request_duration_seconds_sum', {}) * 1000
    expect(ms).toBeGreaterThanOrEqual(3 * GAP_MS - 1)
    expect(ms).toBeLessThan(3 * GAP_MS + 30)
    expect(telemetry.snapshot()).toMatchObject({ requests_total: 1, errors_total: 1 })
  })

  it('records a body the client abandons, timed to when it went', async () => {
    const telemetry = realTelemetry()
    const url = await serve(telemetry.wrap(() => new Response(pacedBody(new Timeline()))))
    const response = await fetch(url)
    const reader = response.body!.getReader()
    await reader.read()
    await reader.cancel()
    await sleep(2 * GAP_MS)
    expect(telemetry.snapshot()).toMatchObject({ requests_total: 1, errors_total: 0 })
    // Ended when the client went (after one chunk), not when the 5 chunks would have.
    const text = await telemetry.metricsText()
    const ms = sample(text, 'http_server_request_duration_seconds_sum', {}) * 1000
    expect(ms).toBeLessThan(3 * GAP_MS)
  })

  it('counts an LLM call the body makes as it streams toward the request', async () => {
    const telemetry = realTelemetry()
    const down = () => Promise.reject(new Error('down'))
    const failedCall = () => telemetry.observe({ provider: 'openai', model: 'gpt-test' }, down)
    const app = telemetry.wrap(() => {
      const pull = async (controller: ReadableStreamDefaultController<Uint8Array>) => {
        await failedCall().catch(() => undefined)
        controller.enqueue(utf8.encode('x'))
        controller.close()
      }
      return new Response(new ReadableStream({ pull }, { highWaterMark: 0 }))
    })
    // Pulled only when read (highWaterMark 0): by the node:http adapter, then as a wrapped body.
    expect(await (await fetch(await serve(app))).text()).toBe('x')
    expect(await (await app(new Request('http://x/'))).text()).toBe('x')
    expect(telemetry.snapshot()).toMatchObject({ requests_total: 2, errors_total: 2 })
  })
})

describe('a streamed LLM call', () => {
  it('is timed to the end of its stream, with its time to first chunk apart', async () => {
    const fake = await startFakeAnthropic({
      reply: () => ({ kind: 'text', text: 'one two three four', delayMs: 60, chunkDelayMs: 30 }),
    })
    cleanup(() => fake.close())
    const telemetry = realTelemetry()
    const client = telemetry.instrumentAnthropic(
      new Anthropic({ apiKey: 'sk-test', baseURL: fake.url, maxRetries: 0 }),
    )
    const streamed = async () => {
      const started = performance.now()
      const stream = await client.messages.create({
        model: 'claude-test',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'Hi' }],
        stream: true,
      })
      let firstMs: number | undefined
      for await (const _ of stream) firstMs ??= performance.now() - started
      return { ms: performance.now() - started, firstMs }
    }
    const sums = async () => {
      const text = await telemetry.metricsText()
      const labels = { gen_ai_request_model: 'claude-test' }
      const ms = (name: string) => sample(text, name, labels) * 1000
      return {
        ms: ms('gen_ai_client_operation_duration_seconds_sum'),
        firstMs: ms('gen_ai_client_operation_time_to_first_chunk_seconds_sum'),
      }
    }
    // The first call loads the price table and runs every code path once: the second is timed.
    await streamed()
    const before = await sums()
    const { ms, firstMs } = await streamed()
    const after = await sums()
    const recordedMs = after.ms - before.ms
    const firstRecorded = after.firstMs - before.firstMs
    console.log(
      `LLM stream: ${ms.toFixed(2)} ms, recorded ${recordedMs.toFixed(2)} ms; first chunk ${firstMs!.toFixed(2)} ms, recorded ${firstRecorded.toFixed(2)} ms`,
    )
    expect(ms).toBeGreaterThan(60 + 3 * 30)
    expect(Math.abs(recordedMs - ms)).toBeLessThanOrEqual(TOLERANCE_MS)
    expect(firstRecorded).toBeGreaterThanOrEqual(59)
    expect(Math.abs(firstRecorded - firstMs!)).toBeLessThanOrEqual(TOLERANCE_MS)
  })

  it('has no time to first chunk when it was not streamed', async () => {
    const fake = await startFakeAnthropic()
    cleanup(() => fake.close())
    const telemetry = realTelemetry()
    const client = telemetry.instrumentAnthropic(
      new Anthropic({ apiKey: 'sk-test', baseURL: fake.url, maxRetries: 0 }),
    )
    await client.messages.create({
      model: 'claude-test',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Hi' }],
    })
    expect(await telemetry.metricsText()).not.toMatch(
      /gen_ai_client_operation_time_to_first_chunk_seconds_count\{/,
    )
  })
})
