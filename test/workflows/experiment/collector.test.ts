import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../../src/logger.js'
import { openStore } from '../../../src/stores/index.js'
import { serveCollector, type RunningCollector } from '../../../src/workflows/experiment/index.js'
import { event, experimentProject, ndjson } from './project.js'

/* The collector in-process against a real SQLite store in a temp project. */

const running: RunningCollector[] = []
afterEach(async () => {
  for (const c of running.splice(0)) await c.close()
})

async function start(env: Record<string, string> = {}, extra = '') {
  const cwd = experimentProject(extra)
  const logs: string[] = []
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) })
  const collector = await serveCollector({ cwd, env, logger, port: 0 })
  running.push(collector)
  return { cwd, logs, collector }
}

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', ...headers },
    body,
  })

async function stored(cwd: string) {
  const store = await openStore(join(cwd, '.shipgate/shipgate.db'), cwd)
  try {
    return await store.experimentEvents.experiments()
  } finally {
    await store.close()
  }
}

const T = '2026-12-01T10:00:00.000Z'
const batch = [
  event({ type: 'exposure' }, 'u1', 'A', T),
  event({ type: 'exposure' }, 'u2', 'B', T),
  event({ type: 'outcome', name: 'task_success', value: 1 }, 'u2', 'B', T),
]

describe('serveCollector', () => {
  it('stores a batch (202), counts a resent batch as duplicates, answers /health', async () => {
    const { cwd, collector, logs } = await start()
    expect(collector.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(collector.authenticated).toBe(false)
    expect((await fetch(`${collector.url}/health`)).status).toBe(200)
    const first = await post(collector.url, ndjson(batch))
    expect(first.status).toBe(202)
    expect(await first.json()).toEqual({ stored: 3, duplicates: 0 })
    const again = await post(
      collector.url,
      ndjson([...batch, event({ type: 'exposure' }, 'u3', 'A', T)]),
    )
    expect(again.status).toBe(202)
    expect(await again.json()).toEqual({ stored: 1, duplicates: 3 })
    await collector.close()
    running.splice(0)
    expect(await stored(cwd)).toEqual([
      { experiment: 'checkout', exposures: 3, outcomes: 1, samples: 0, first: T, last: T },
    ])
    expect(logs.some((l) => l.includes('POST /v1/events → 202'))).toBe(true)
  })

  it('refuses a batch with a bad line (400, its line) and stores nothing of it', async () => {
    const { cwd, collector } = await start()
    const bad = { ...batch[1], v: 2 }
    const body = `${JSON.stringify(batch[0])}\n\n${JSON.stringify(bad)}\n`
    const response = await post(collector.url, body)
    expect(response.status).toBe(400)
    const answer = (await response.json()) as { error: string; line: number }
    expect(answer.line).toBe(3)
    expect(answer.error).toContain('unsupported event version v=2')
    const cases: [unknown, string][] = [
      [{ ...batch[2], value: 'high' }, '"value" must be a finite number'],
      [{ ...batch[0], at: '2026-12-01 10:00' }, '"at" must be an ISO 8601 time'],
      [{ ...batch[0], type: 'click' }, '"type" must be exposure, outcome or sample'],
      [{ ...batch[0], user: '' }, '"user" must be a non-empty string'],
      [
        { ...batch[0], type: 'sample', input: 'x'.repeat(64 * 1024 + 1), output: '' },
        'over the 65536-byte limit',
      ],
    ]
    for (const [line, error] of cases) {
      const r = await post(collector.url, `${JSON.stringify(line)}\n`)
      expect(r.status).toBe(400)
      expect(((await r.json()) as { error: string }).error).toContain(error)
    }
    expect((await post(collector.url, '{"v":1', {})).status).toBe(400)
    const wrongType = await post(collector.url, ndjson(batch), {
      'content-type': 'application/json',
    })
    expect(wrongType.status).toBe(415)
    const big = await post(collector.url, 'x'.repeat(1024 * 1024 + 1))
    expect(big.status).toBe(413)
    await collector.close()
    running.splice(0)
    expect(await stored(cwd)).toEqual([])
  })

  it('requires the bearer token when SHIPGATE_COLLECTOR_TOKEN is set (401), never logging it', async () => {
    const token = 'collector-secret-7f3a9c'
    const { collector, logs } = await start({ SHIPGATE_COLLECTOR_TOKEN: token })
    expect(collector.authenticated).toBe(true)
    expect((await post(collector.url, ndjson(batch))).status).toBe(401)
    expect(
      (await post(collector.url, ndjson(batch), { authorization: 'Bearer wrong-token' })).status,
    ).toBe(401)
    const ok = await post(collector.url, ndjson(batch), { authorization: `Bearer ${token}` })
    expect(ok.status).toBe(202)
    expect(logs.length).toBeGreaterThan(0)
    expect(logs.join('\n')).not.toContain(token)
  })

  it('refuses to start off loopback without a token, or with an unset --token-env', async () => {
    const cwd = experimentProject()
    const logger = createLogger({ write: () => {} })
    await expect(
      serveCollector({ cwd, env: {}, logger, port: 0, host: '0.0.0.0' }),
    ).rejects.toThrow(/reachable from other machines and needs a token/)
    await expect(
      serveCollector({ cwd, env: {}, logger, port: 0, tokenEnv: 'MY_TOKEN' }),
    ).rejects.toThrow(/MY_TOKEN \(--token-env\) is not set/)
  })

  it('stores events of an experiment the config does not name, warning once', async () => {
    const { collector, logs } = await start()
    const other = [
      event({ type: 'exposure' }, 'u1', 'A', T, 'unknown-exp'),
      event({ type: 'exposure' }, 'u2', 'A', T, 'unknown-exp'),
    ]
    expect(await (await post(collector.url, ndjson(other))).json()).toEqual({
      stored: 2,
      duplicates: 0,
    })
    await post(collector.url, ndjson([event({ type: 'exposure' }, 'u3', 'A', T, 'unknown-exp')]))
    const warnings = logs.filter((l) => l.includes('"unknown-exp"'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('does not configure')
  })
})
