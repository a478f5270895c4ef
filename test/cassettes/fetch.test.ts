import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CassetteMissError, createCassetteFetch } from '../../src/cassettes/fetch.js'
import { CassetteFiles } from '../../src/cassettes/files.js'
import { describeRequest, headerReader, requestKey } from '../../src/cassettes/key.js'
import type { CassetteMiss, CassetteMode } from '../../src/cassettes/types.js'
import { systemClock } from '../../src/utils/clock.js'
import { tempProject } from '../helpers/project.js'
import { walkFiles } from '../helpers/files.js'

const KEY = `sk-ant-api03-${'x'.repeat(40)}`

/** An upstream that answers JSON (or SSE when asked) and counts its calls. */
function upstream() {
  const calls: { url: string; body: string }[] = []
  const fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const body = typeof init?.body === 'string' ? init.body : ''
    calls.push({ url: input instanceof Request ? input.url : input.toString(), body })
    const parsed = JSON.parse(body) as {
      stream?: boolean
      messages: { content: string }[]
      fail?: number
    }
    if (parsed.fail !== undefined)
      return Promise.resolve(new Response('{"error":"nope"}', { status: parsed.fail }))
    const text = `answer to ${parsed.messages[0]?.content ?? ''} #${calls.length}`
    if (parsed.stream === true) {
      const events = [
        'event: start\ndata: {"n":0}',
        `event: delta\ndata: ${JSON.stringify({ text })}`,
        'event: stop\ndata: {}',
      ]
      return Promise.resolve(
        new Response(events.map((e) => `${e}\n\n`).join(''), {
          headers: { 'content-type': 'text/event-stream' },
        }),
      )
    }
    return Promise.resolve(Response.json({ text, echoed: body.includes(KEY) ? KEY : null }))
  }
  return { fetch, calls }
}

/** Cassette stores made by the tests: written to disk before anything reads them back. */
const stores: CassetteFiles[] = []
const flushAll = () => Promise.all(stores.map((f) => f.flush()))

async function cassetteFetch(
  dir: string,
  mode: CassetteMode,
  up = upstream(),
  onMiss?: (m: CassetteMiss) => void,
) {
  await flushAll()
  const files = new CassetteFiles(dir)
  stores.push(files)
  const fetch = createCassetteFetch({
    mode,
    files,
    upstream: up.fetch,
    clock: systemClock,
    ...(onMiss === undefined ? {} : { onMiss }),
  })
  return { fetch, up }
}

const call = (
  fetch: typeof globalThis.fetch,
  content: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) =>
  fetch('https://api.example.test/v1/messages', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': KEY,
      'x-stainless-os': 'Linux',
      'anthropic-version': '2023-06-01',
      ...headers,
    },
    body: JSON.stringify({ model: 'm-1', messages: [{ role: 'user', content }], ...extra }),
  })

describe('cassette fetch', () => {
  it('records once, then replays without calling out, identical bodies in order of ordinals', async () => {
    const dir = tempProject({})
    const rec = await cassetteFetch(dir, 'record-missing')
    const first = await (await call(rec.fetch, 'hi')).json()
    const second = await (await call(rec.fetch, 'hi')).json()
    expect(rec.up.calls).toHaveLength(2)
    const replay = await cassetteFetch(dir, 'replay')
    const r1 = await call(replay.fetch, 'hi')
    expect(r1.headers.get('x-shipgate-cassette')).toBe('replay')
    expect(Number(r1.headers.get('x-shipgate-latency-ms'))).toBeGreaterThanOrEqual(0)
    expect(await r1.json()).toEqual(first)
    expect(await (await call(replay.fetch, 'hi')).json()).toEqual(second)
    expect(replay.up.calls).toHaveLength(0)
  })

  it('replays a stream with the same events', async () => {
    const dir = tempProject({})
    const rec = await cassetteFetch(dir, 'record')
    const recorded = await (await call(rec.fetch, 'stream me', { stream: true })).text()
    const replayed = await (
      await call((await cassetteFetch(dir, 'replay')).fetch, 'stream me', { stream: true })
    ).text()
    expect(replayed).toBe(recorded)
    expect(replayed.split('\n\n').filter(Boolean)).toHaveLength(3)
  })

  it('keys ignore credentials, telemetry headers and key order, but not API versions or content', () => {
    const parts = (body: string, headers: Record<string, string>) =>
      describeRequest({
        method: 'POST',
        url: new URL('https://a.test/v1/messages'),
        header: headerReader(headers),
        body,
      })
    const base = requestKey(
      parts('{"model":"m","n":1}', { 'x-api-key': 'one', 'anthropic-version': '1' }),
    )
    expect(
      requestKey(
        parts('{"n":1,"model":"m"}', {
          'x-api-key': 'two',
          'x-stainless-retry-count': '3',
          'anthropic-version': '1',
        }),
      ),
    ).toBe(base)
    expect(
      requestKey(
        parts('{"model":"m","n":1,"user":"u-1","metadata":{"a":1}}', { 'anthropic-version': '1' }),
      ),
    ).toBe(base)
    expect(requestKey(parts('{"model":"m","n":2}', { 'anthropic-version': '1' }))).not.toBe(base)
    expect(requestKey(parts('{"model":"m","n":1}', { 'anthropic-version': '2' }))).not.toBe(base)
  })

  it('never writes a credential: not the header, not the same key planted in the body or echoed back', async () => {
    const dir = tempProject({})
    const rec = await cassetteFetch(dir, 'record')
    await call(
      rec.fetch,
      `my key is ${KEY}`,
      { note: `Bearer ${KEY}` },
      { authorization: `Bearer ${KEY}` },
    )
    await (await call(rec.fetch, 'stream', { stream: true, secret: KEY })).text()
    await flushAll()
    const files = walkFiles(dir)
    expect(files).toHaveLength(1)
    expect(
      readFileSync(files[0] as string, 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(2)
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      expect(text).not.toContain(KEY)
      expect(text).not.toContain(KEY.slice(0, 20))
      expect(text).not.toMatch(/x-api-key|authorization|x-stainless/i)
    }
    expect(readFileSync(files[0] as string, 'utf8')).toContain('[REDACTED]')
  })

  it('in replay, a miss fails without calling out and names the nearest recording and the difference', async () => {
    const dir = tempProject({})
    await call((await cassetteFetch(dir, 'record')).fetch, 'the recorded question')
    const misses: CassetteMiss[] = []
    const replay = await cassetteFetch(dir, 'replay', upstream(), (m) => misses.push(m))
    const error = await call(replay.fetch, 'another question').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CassetteMissError)
    expect(replay.up.calls).toHaveLength(0)
    expect(misses).toHaveLength(1)
    expect(misses[0]?.nearest?.file).toMatch(/v1-messages[/\\]m-1\.jsonl#[0-9a-f]{12}$/)
    expect(misses[0]?.nearest?.differences).toEqual([
      {
        path: 'body.messages.0.content',
        recorded: '"the recorded question"',
        requested: '"another question"',
      },
    ])
  })

  it('a new ordinal of a recorded request is a miss too', async () => {
    const dir = tempProject({})
    await call((await cassetteFetch(dir, 'record')).fetch, 'once')
    const replay = await cassetteFetch(dir, 'replay')
    await call(replay.fetch, 'once')
    const error = (await call(replay.fetch, 'once').catch((e: unknown) => e)) as CassetteMissError
    expect(error.miss.ordinal).toBe(1)
    expect(error.miss.nearest?.differences).toEqual([])
  })

  it('does not record failures, and record re-records', async () => {
    const dir = tempProject({})
    const rec = await cassetteFetch(dir, 'record-missing')
    expect((await call(rec.fetch, 'x', { fail: 429 })).status).toBe(429)
    await flushAll()
    expect(walkFiles(dir)).toHaveLength(0)
    await call(rec.fetch, 'y')
    const again = await cassetteFetch(dir, 'record')
    const body = await (await call(again.fetch, 'y')).json()
    expect(again.up.calls).toHaveLength(1)
    expect(await (await call((await cassetteFetch(dir, 'replay')).fetch, 'y')).json()).toEqual(body)
  })

  it('passthrough neither reads nor writes cassettes', async () => {
    const dir = tempProject({})
    const pass = await cassetteFetch(dir, 'passthrough')
    await call(pass.fetch, 'z')
    expect(pass.up.calls).toHaveLength(1)
    await flushAll()
    expect(walkFiles(dir)).toHaveLength(0)
  })

  it('stores a JSON line per request, sorted by key, in a pack per API path and model', async () => {
    const dir = tempProject({})
    const rec = await cassetteFetch(dir, 'record')
    for (const q of ['layout', 'another', 'third']) await call(rec.fetch, q)
    await flushAll()
    expect(walkFiles(dir)).toEqual([join(dir, 'v1-messages', 'm-1.jsonl')])
    const lines = readFileSync(join(dir, 'v1-messages', 'm-1.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
    const cassettes = lines.map(
      (l) =>
        JSON.parse(l) as {
          key: string
          version: number
          request: { headers: object }
          interactions: unknown[]
        },
    )
    expect(cassettes.map((c) => c.key)).toEqual(cassettes.map((c) => c.key).sort())
    expect(cassettes[0]?.version).toBe(1)
    expect(cassettes[0]?.request.headers).toEqual({ 'anthropic-version': '2023-06-01' })
    expect(cassettes.every((c) => c.interactions.length === 1)).toBe(true)
  })

  it('merges with what another process recorded into the same pack meanwhile', async () => {
    const dir = tempProject({})
    await call((await cassetteFetch(dir, 'record')).fetch, 'from the first')
    // A second store, as another process would have, that has not seen the first recording.
    const second = new CassetteFiles(dir)
    const fetch = createCassetteFetch({
      mode: 'record',
      files: second,
      upstream: upstream().fetch,
      clock: systemClock,
    })
    await flushAll()
    await call(fetch, 'from the second')
    await second.flush()
    const replay = await cassetteFetch(dir, 'replay')
    expect((await call(replay.fetch, 'from the first')).status).toBe(200)
    expect((await call(replay.fetch, 'from the second')).status).toBe(200)
  })
})
