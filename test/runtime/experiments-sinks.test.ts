import { readFileSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage } from 'node:http'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  collectorSink,
  createExperiment,
  type ExperimentEvent,
  jsonlSink,
} from '../../packages/runtime/src/experiments/index.js'
import { FileFlagProvider, rolloutFlag } from '../../packages/runtime/src/flags/index.js'
import { tempDir } from '../flags/helpers.js'
import { listen } from './support.js'

/* The built-in sinks for real: a JSONL file in a temp dir, a loopback collector. */

let n = 0
function events(count: number): ExperimentEvent[] {
  return Array.from({ length: count }, () => {
    const i = ++n
    return {
      v: 1,
      id: `ev-${i}`,
      type: 'outcome',
      experiment: 'prompt-v2',
      variant: i % 2 === 0 ? 'v2' : 'v1',
      user: `user-${i % 7}`,
      at: '2026-12-07T12:00:00.000Z',
      name: 'task_success',
      value: i % 2,
    } as const
  })
}

const quiet = { warn: () => undefined }
const fast = { initialMs: 5, maxMs: 20 }

let dir: string
let remove: () => void
beforeEach(() => {
  ;({ dir, remove } = tempDir())
})
afterEach(() => remove())

function lines(path: string): unknown[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown)
}

describe('jsonlSink', () => {
  it('appends exactly the events, one per line, creating the directory; close flushes', async () => {
    const path = `${dir}/deep/er/events.jsonl`
    const sink = jsonlSink(path, { flushIntervalMs: 60_000, logger: quiet })
    const sent = events(3)
    sink.write(sent)
    await sink.close()
    expect(readFileSync(path, 'utf8')).toBe(sent.map((e) => JSON.stringify(e) + '\n').join(''))
    expect(sink.stats()).toEqual({ sent: 3, dropped: 0, retries: 0, queued: 0, duplicates: 0 })
  })

  it('flushes on its interval without being asked', async () => {
    const path = `${dir}/events.jsonl`
    const sink = jsonlSink(path, { flushIntervalMs: 20, logger: quiet })
    sink.write(events(2))
    const until = Date.now() + 2_000
    while (sink.stats().sent < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 10))
    expect(lines(path)).toHaveLength(2)
    await sink.close()
  })

  it('keeps lines whole and in order under many concurrent writes and flushes', async () => {
    const path = `${dir}/events.jsonl`
    const sink = jsonlSink(path, { batchSize: 37, flushIntervalMs: 5, logger: quiet })
    const all: ExperimentEvent[] = []
    const flushes: Promise<void>[] = []
    for (let round = 0; round < 200; round++) {
      const batch = events(50)
      all.push(...batch)
      for (const event of batch) sink.write([event])
      flushes.push(sink.flush())
      if (round % 20 === 0) await new Promise((r) => setTimeout(r, 1))
    }
    await Promise.all(flushes)
    await sink.close()
    expect(lines(path)).toEqual(all)
  })

  it('ends a partial last line left by a crash before appending', async () => {
    const path = `${dir}/events.jsonl`
    const [first] = events(1)
    writeFileSync(path, `${JSON.stringify(first)}\n{"v":1,"id":"half`)
    const sink = jsonlSink(path, { logger: quiet })
    const next = events(1)
    sink.write(next)
    await sink.close()
    const text = readFileSync(path, 'utf8').split('\n')
    expect(text).toEqual([JSON.stringify(first), '{"v":1,"id":"half', JSON.stringify(next[0]), ''])
  })

  it('retries a failing append and drops, counted, after its retries', async () => {
    const path = `${dir}/a-directory`
    const { mkdirSync } = await import('node:fs')
    mkdirSync(path) // appending to a directory fails every time
    const warnings: string[] = []
    const sink = jsonlSink(path, {
      retry: { ...fast, retries: 2 },
      logger: { warn: (m) => warnings.push(m) },
    })
    sink.write(events(4))
    await sink.close()
    expect(sink.stats()).toMatchObject({ sent: 0, dropped: 4, retries: 2, queued: 0 })
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/gave up on a batch after 2 retries/)
  })
})

/** A collector speaking the protocol, answering from a script (then 202), deduplicating ids. */
async function fakeCollector(script: (number | { slowMs: number })[] = []) {
  const stored = new Map<string, unknown>()
  const requests: { headers: IncomingMessage['headers']; url: string; lines: string[] }[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => {
      const lines = body.split('\n').filter((l) => l !== '')
      requests.push({ headers: req.headers, url: req.url ?? '', lines })
      const step = script.shift() ?? 202
      const answer = (status: number, json: unknown) => {
        if (res.destroyed) return
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json))
      }
      if (typeof step === 'object') {
        setTimeout(() => answer(503, { error: 'too slow anyway' }), step.slowMs)
        return
      }
      if (step === 400) return answer(400, { error: 'unknown event type', line: 2 })
      if (step === 401 || step === 403) return answer(step, { error: 'bad token' })
      if (step >= 500) return answer(step, { error: 'down' })
      let duplicates = 0
      for (const line of lines) {
        const event = JSON.parse(line) as { id: string }
        if (stored.has(event.id)) duplicates++
        else stored.set(event.id, event)
      }
      answer(202, { stored: lines.length - duplicates, duplicates })
    })
  })
  const url = await listen(server)
  return { url, stored, requests }
}

describe('collectorSink', () => {
  it('POSTs NDJSON batches to /v1/events with the bearer token from the named variable', async () => {
    const collector = await fakeCollector()
    const sink = collectorSink({
      url: `${collector.url}/`,
      tokenEnv: 'SHIPGATE_COLLECTOR_TOKEN',
      env: { SHIPGATE_COLLECTOR_TOKEN: 'sekret-123' },
      batchSize: 4,
      logger: quiet,
    })
    const sent = events(10)
    sink.write(sent)
    await sink.close()
    expect(collector.requests.map((r) => r.lines.length)).toEqual([4, 4, 2])
    const first = collector.requests[0]!
    expect(first.url).toBe('/v1/events')
    expect(first.headers['content-type']).toBe('application/x-ndjson')
    expect(first.headers.authorization).toBe('Bearer sekret-123')
    expect(collector.requests.flatMap((r) => r.lines)).toEqual(sent.map((e) => JSON.stringify(e)))
    expect(sink.stats()).toEqual({ sent: 10, dropped: 0, retries: 0, queued: 0, duplicates: 0 })
  })

  it('sends no Authorization when the variable is unset, and says so once without a token', async () => {
    const collector = await fakeCollector()
    const warnings: string[] = []
    const sink = collectorSink({
      url: collector.url,
      tokenEnv: 'SHIPGATE_COLLECTOR_TOKEN',
      env: {},
      batchSize: 1,
      logger: { warn: (m) => warnings.push(m) },
    })
    sink.write(events(3))
    await sink.close()
    expect(collector.requests.map((r) => r.headers.authorization)).toEqual([
      undefined,
      undefined,
      undefined,
    ])
    expect(warnings).toEqual([
      'collector sink: SHIPGATE_COLLECTOR_TOKEN is not set; sending without a token',
    ])
  })

  it('retries after a 500 with the same batch: every event stored once, none lost', async () => {
    const collector = await fakeCollector([500, 500])
    const sink = collectorSink({ url: collector.url, retry: fast, logger: quiet })
    const sent = events(25)
    sink.write(sent)
    await sink.flush()
    expect(collector.requests).toHaveLength(3)
    expect(collector.requests[2]!.lines).toEqual(collector.requests[0]!.lines)
    expect([...collector.stored.keys()]).toEqual(sent.map((e) => e.id))
    expect(sink.stats()).toMatchObject({ sent: 25, retries: 2, dropped: 0, queued: 0 })
    await sink.close()
  })

  it('retries a request that times out; the duplicate it may cause is counted, not lost', async () => {
    const collector = await fakeCollector([{ slowMs: 400 }])
    const sink = collectorSink({ url: collector.url, timeoutMs: 100, retry: fast, logger: quiet })
    const sent = events(5)
    sink.write(sent)
    await sink.close()
    expect(collector.requests).toHaveLength(2)
    expect(collector.stored.size).toBe(5)
    expect(sink.stats()).toMatchObject({ sent: 5, retries: 1, dropped: 0 })
  })

  it('counts duplicates the collector reports (a batch sent again by another process)', async () => {
    const collector = await fakeCollector()
    const sent = events(6)
    for (let i = 0; i < 2; i++) {
      const sink = collectorSink({ url: collector.url, logger: quiet })
      sink.write(sent)
      await sink.close()
      expect(sink.stats().duplicates).toBe(i === 0 ? 0 : 6)
    }
    expect(collector.stored.size).toBe(6)
  })

  it.each([400, 401, 403])(
    'drops a batch answered %i without retrying, logs once, counts the events',
    async (status) => {
      const collector = await fakeCollector([status, status])
      const warnings: string[] = []
      const sink = collectorSink({
        url: collector.url,
        tokenEnv: 'TOKEN',
        env: { TOKEN: 'sekret-456' },
        batchSize: 3,
        retry: fast,
        logger: { warn: (m) => warnings.push(m) },
      })
      sink.write(events(7))
      await sink.close()
      expect(collector.requests).toHaveLength(3) // one per batch, none sent twice
      expect(sink.stats()).toMatchObject({ sent: 1, dropped: 6, retries: 0 })
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toContain(String(status))
      if (status === 400) expect(warnings[0]).toContain('unknown event type at line 2')
      expect(warnings.join('\n')).not.toContain('sekret')
    },
  )

  it('gives up on an unreachable collector after its retries; flush resolves', async () => {
    const collector = await fakeCollector()
    const deadServer = createServer()
    const url = await listen(deadServer)
    await new Promise((r) => deadServer.close(r))
    const warnings: string[] = []
    const sink = collectorSink({
      url,
      retry: { ...fast, retries: 3 },
      logger: { warn: (m) => warnings.push(m) },
    })
    sink.write(events(4))
    await sink.flush()
    expect(sink.stats()).toMatchObject({ sent: 0, dropped: 4, retries: 3, queued: 0 })
    expect(warnings[0]).toMatch(/failed: .*ECONNREFUSED.*gave up on a batch after 3 retries/)
    expect(collector.requests).toHaveLength(0)
    await sink.close()
  })

  it('keeps a bounded queue, dropping the oldest events when full', async () => {
    const collector = await fakeCollector()
    const warnings: string[] = []
    const sink = collectorSink({
      url: collector.url,
      maxQueue: 5,
      batchSize: 100,
      flushIntervalMs: 60_000,
      logger: { warn: (m) => warnings.push(m) },
    })
    const sent = events(20)
    for (const event of sent) sink.write([event])
    expect(sink.stats()).toMatchObject({ queued: 5, dropped: 15 })
    await sink.close()
    expect([...collector.stored.keys()]).toEqual(sent.slice(15).map((e) => e.id))
    expect(warnings).toEqual([
      expect.stringContaining('the queue is full (5 events): dropping the oldest'),
    ])
  })

  it('never blocks or throws on write, and drops (counted) what is written after close', async () => {
    const collector = await fakeCollector([{ slowMs: 300 }])
    const sink = collectorSink({ url: collector.url, batchSize: 10, retry: fast, logger: quiet })
    const started = performance.now()
    for (let i = 0; i < 1_000; i++) sink.write(events(1))
    expect(performance.now() - started).toBeLessThan(200)
    await sink.close()
    sink.write(events(2))
    expect(sink.stats()).toMatchObject({ sent: 1_000, dropped: 2 })
  })

  it('refuses a url that is not one', () => {
    expect(() => collectorSink({ url: 'not a url' })).toThrow(/is not a URL/)
  })
})

describe('an experiment writing through the sinks', () => {
  it('leaves exposures, outcomes and samples in the JSONL file and at the collector', async () => {
    const path = `${dir}/flags.json`
    writeFileSync(
      path,
      JSON.stringify({
        flags: {
          prompt_version: rolloutFlag({ key: 'prompt_version', from: 'v1', to: 'v2', percent: 50 }),
        },
      }),
    )
    const flags = new FileFlagProvider({ path, watch: false })
    await flags.initialize()
    const collector = await fakeCollector([500])
    const file = `${dir}/events/agent-1.jsonl`
    for (const sink of [jsonlSink(file), collectorSink({ url: collector.url, retry: fast })]) {
      const experiment = createExperiment({
        name: 'prompt-v2',
        flag: 'prompt_version',
        flags,
        fallback: 'v1',
        sink,
        sampleRate: 1,
      })
      for (const user of ['u1', 'u2', 'u1']) {
        const { variant } = experiment.assign(user)
        experiment.track(user, 'task_success', variant === 'v2' ? 1 : 0)
        experiment.sample(user, { input: `hi from ${user}`, output: `answer ${variant}` })
      }
      await sink.close()
      expect(sink.stats()).toMatchObject({ sent: 8, dropped: 0 })
    }
    const written = lines(file) as ExperimentEvent[]
    expect(written.map((e) => `${e.type}:${e.user}`)).toEqual([
      'exposure:u1',
      'outcome:u1',
      'sample:u1',
      'exposure:u2',
      'outcome:u2',
      'sample:u2',
      'outcome:u1',
      'sample:u1',
    ])
    const variantOf = (user: string) =>
      (written.find((e) => e.user === user) as ExperimentEvent).variant
    for (const event of written) {
      expect(event).toMatchObject({ v: 1, experiment: 'prompt-v2', variant: variantOf(event.user) })
      expect(event.id).toMatch(/^[0-9a-f-]{36}$/)
      expect(Date.parse(event.at)).not.toBeNaN()
    }
    // The collector got the same kinds of events, once each, after a 500 and a retry.
    const stored = [...collector.stored.values()] as ExperimentEvent[]
    expect(stored.map((e) => `${e.type}:${e.user}:${e.variant}`)).toEqual(
      written.map((e) => `${e.type}:${e.user}:${e.variant}`),
    )
    await flags.onClose()
  })
})
