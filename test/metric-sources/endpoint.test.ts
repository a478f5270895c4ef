import { describe, expect, it } from 'vitest'
import type { TargetInstance } from '../../src/contracts/deploy.js'
import { createMetricSource } from '../../src/metric-sources/index.js'
import { freePort } from '../helpers/services.js'
import { sendQueries, startAgent } from './agent-service.js'

const signal = new AbortController().signal
const window = (startMs = Date.now() - 30_000) => ({ startMs, endMs: Date.now() })

describe('the endpoint source on the example agent service (Prometheus text)', () => {
  it('measures known traffic exactly: N requests, M faults, errorRate M/N', async () => {
    const agent = await startAgent({ RELEASE_ID: 'r-1', FAULT_ERROR_RATE: '0.25' })
    const source = createMetricSource(
      { type: 'endpoint', format: 'prometheus' },
      { targetUrl: agent.url },
    )
    // Traffic before the first read is not part of any window: the first read primes.
    await sendQueries(agent.url, 5, 'before')
    expect((await source.read({ release: 'r-1' }, window(), signal)).requests).toBe(0)
    const statuses = await sendQueries(agent.url, 40)
    const faults = statuses.filter((s) => s === 500).length
    expect(faults).toBeGreaterThan(0)
    expect(statuses.filter((s) => s !== 200 && s !== 500)).toEqual([])
    const metrics = await source.read({ release: 'r-1' }, window(), signal)
    expect(metrics.requests).toBe(40)
    expect(metrics.errors).toBe(faults)
    expect(metrics.errorRate).toBe(faults / 40)
    expect(metrics.latencyP95Ms).toBeGreaterThan(0)
    expect(metrics.latencyP95Ms).toBeLessThan(5_000)
    expect(metrics.latencyAvgMs).toBeGreaterThan(0)
    expect(metrics.costPerRequestUsd).toBeGreaterThan(0)
    expect(metrics.costPerHourUsd).toBeGreaterThan(0)
    // Nothing since: an empty window.
    expect((await source.read({ release: 'r-1' }, window(), signal)).requests).toBe(0)
    // From the start: every request the service has served, the primed ones included.
    const total = await source.read({ release: 'r-1' }, { startMs: 0, endMs: Date.now() }, signal)
    expect(total).toMatchObject({ requests: 45, costPerHourUsd: null })
    // Another release's series are not there.
    expect(
      (await source.read({ release: 'other' }, { startMs: 0, endMs: Date.now() }, signal)).requests,
    ).toBe(0)
  })

  it('reads every instance of the selected release and adds them up', async () => {
    const [a, b] = await Promise.all([
      startAgent({ RELEASE_ID: 'old' }),
      startAgent({ RELEASE_ID: 'new', FAULT_ERROR_RATE: '1' }),
    ])
    const instances: TargetInstance[] = [
      { releaseId: 'old', url: a.url, weight: 80 },
      { releaseId: 'new', url: b.url, weight: 20 },
    ]
    const source = createMetricSource(
      { type: 'endpoint', format: 'prometheus' },
      { targetUrl: null, instances: () => Promise.resolve(instances) },
    )
    await Promise.all([sendQueries(a.url, 8, 'a'), sendQueries(b.url, 3, 'b')])
    const all = { startMs: 0, endMs: Date.now() }
    expect(await source.read({ release: 'new' }, all, signal)).toMatchObject({
      requests: 3,
      errors: 3,
      errorRate: 1,
    })
    expect(await source.read({ release: 'old' }, all, signal)).toMatchObject({
      requests: 8,
      errors: 0,
    })
    expect((await source.read({}, all, signal)).requests).toBe(11)
  })

  it('rejects with a clear message when the service does not answer', async () => {
    const port = await freePort()
    const source = createMetricSource(
      { type: 'endpoint', format: 'prometheus' },
      { targetUrl: `http://127.0.0.1:${port}` },
    )
    await expect(source.read({}, window(), signal)).rejects.toThrow(
      `metrics endpoint http://127.0.0.1:${port}/metrics: connection refused`,
    )
    expect(() =>
      createMetricSource({ type: 'endpoint', format: 'json' }, { targetUrl: null }),
    ).toThrow('the endpoint metric source has no URL to read')
  })
})

describe('the endpoint source on the example agent service (JSON)', () => {
  it("reports the service's own window", async () => {
    const agent = await startAgent({ RELEASE_ID: 'r-json', FAULT_ERROR_RATE: '0.5' })
    const statuses = await sendQueries(agent.url, 20)
    const faults = statuses.filter((s) => s === 500).length
    const source = createMetricSource(
      { type: 'endpoint', format: 'json', url: `${agent.url}/metrics` },
      { targetUrl: null },
    )
    const metrics = await source.read({ release: 'r-json' }, window(), signal)
    expect(metrics).toMatchObject({ requests: 20, errors: faults, errorRate: faults / 20 })
    expect(metrics.costPerHourUsd).toBeGreaterThan(0)
    expect((await source.read({ release: 'elsewhere' }, window(), signal)).requests).toBe(0)
  })
})
