import { describe, expect, it } from 'vitest'
import { createRuntimeHandler } from '../../packages/runtime/src/http/handler.js'
import {
  runHealthChecks,
  type HealthOptions,
  type HealthReport,
} from '../../packages/runtime/src/http/health.js'
import { serve, testTelemetry } from './support.js'

async function start(health?: HealthOptions, basePath?: string) {
  const { telemetry } = testTelemetry()
  const handler = createRuntimeHandler({
    telemetry,
    ...(health === undefined ? {} : { health }),
    ...(basePath === undefined ? {} : { basePath }),
  })
  return serve(handler)
}

async function health(url: string) {
  const response = await fetch(`${url}/health`)
  return { status: response.status, body: (await response.json()) as HealthReport }
}

describe('GET /health', () => {
  it('is healthy with no checks, and names the service, version, release and variant', async () => {
    const { status, body } = await health(await start())
    expect(status).toBe(200)
    expect(body).toEqual({
      status: 'healthy',
      service: 'agent',
      version: '1.2.3',
      release: 'rel-42',
      variant: 'canary',
      checks: {},
    })
  })

  it('names the release the health option gives, asked at each request', async () => {
    let release = 'rel-flag-a'
    const url = await start({ release: () => release })
    expect((await health(url)).body.release).toBe('rel-flag-a')
    release = 'rel-flag-b'
    expect((await health(url)).body).toMatchObject({ status: 'healthy', release: 'rel-flag-b' })
  })

  it('runs every check and reports each with its detail and duration', async () => {
    const url = await start({
      checks: {
        db: () => true,
        llm: () => Promise.resolve({ ok: true, detail: 'anthropic reachable' }),
      },
    })
    const { status, body } = await health(url)
    expect(status).toBe(200)
    expect(body.status).toBe('healthy')
    expect(body.checks.db).toEqual({ status: 'pass', critical: true, durationMs: 0 })
    expect(body.checks.llm).toEqual({
      status: 'pass',
      critical: true,
      detail: 'anthropic reachable',
      durationMs: 0,
    })
  })

  it('reports each duration in whole milliseconds, as a performance clock gives fractions', async () => {
    let t = 1_000.25
    const now = () => (t += 3.3725)
    const report = await runHealthChecks(
      { checks: { db: () => true } },
      { service: 's', version: '1', release: 'r', variant: 'stable' },
      now,
    )
    expect(report.checks.db?.durationMs).toBe(3)
  })

  it('is degraded (200) when only a non-critical check fails', async () => {
    const url = await start({
      checks: {
        db: () => true,
        cache: { check: () => ({ ok: false, detail: 'redis down' }), critical: false },
      },
    })
    const { status, body } = await health(url)
    expect(status).toBe(200)
    expect(body.status).toBe('degraded')
    expect(body.checks.cache).toMatchObject({
      status: 'fail',
      critical: false,
      detail: 'redis down',
    })
  })

  it('is unhealthy (503) when a critical check fails, throws or times out', async () => {
    for (const check of [
      () => false,
      () => Promise.reject(new Error('connection refused')),
      () => new Promise<boolean>(() => {}),
    ]) {
      const url = await start({
        checks: { db: check, cache: { check: () => true, critical: false } },
        timeoutMs: 50,
      })
      const { status, body } = await health(url)
      expect(status).toBe(503)
      expect(body.status).toBe('unhealthy')
      expect(body.checks.db!.status).toBe('fail')
      expect(body.checks.cache!.status).toBe('pass')
    }
    const url = await start({ checks: { db: () => new Promise<boolean>(() => {}) }, timeoutMs: 30 })
    expect((await health(url)).body.checks.db!.detail).toBe('timed out after 30 ms')
    const thrown = await start({
      checks: { db: () => Promise.reject(new Error('connection refused')) },
    })
    expect((await health(thrown)).body.checks.db!.detail).toBe('connection refused')
  })

  it('answers HEAD with the status only, refuses other methods, and passes other paths on', async () => {
    const url = await start({ checks: { db: () => false } })
    const head = await fetch(`${url}/health`, { method: 'HEAD' })
    expect(head.status).toBe(503)
    expect(await head.text()).toBe('')
    const post = await fetch(`${url}/health`, { method: 'POST', body: '{}' })
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET, HEAD')
    // Not the runtime's: the node adapter answers 404 for a handler that declines.
    expect((await fetch(`${url}/healthz`)).status).toBe(404)
  })

  it('serves under a base path', async () => {
    const url = await start(undefined, '/_ops/')
    expect((await fetch(`${url}/_ops/health`)).status).toBe(200)
    expect((await fetch(`${url}/_ops/metrics`)).status).toBe(200)
    expect((await fetch(`${url}/health`)).status).toBe(404)
  })
})
