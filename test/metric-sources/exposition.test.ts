import parsePrometheusTextFormat from 'parse-prometheus-text-format'
import { describe, expect, it } from 'vitest'
import { parseExposition } from '../../src/metric-sources/endpoint/exposition.js'
import { histogramQuantile } from '../../src/metric-sources/endpoint/quantile.js'
import { difference, metricsOf, totalsOf } from '../../src/metric-sources/endpoint/totals.js'
import { sendQueries, startAgent } from './agent-service.js'

const TEXT = `# HELP h Durations.
# TYPE h histogram
h_bucket{release="a",le="0.1"} 1
h_bucket{release="a",le="+Inf"} 2
h_sum{release="a"} 0.3
h_count{release="a"} 2
h_bucket{release="b",le="0.1"} 5
h_bucket{release="b",le="+Inf"} 7
h_sum{release="b"} 0.9
h_count{release="b"} 7
# TYPE c counter
c{path="a\\"b\\\\c\\nd", x = "y" ,} 3 1700000000000
plain 4.5e-3
bad{unclosed="x} 1
`

describe('parsing the text exposition format', () => {
  it('keeps every series of a labelled histogram apart, with escapes and timestamps', () => {
    const samples = parseExposition(TEXT)
    expect(samples.filter((s) => s.name === 'h_count')).toEqual([
      { name: 'h_count', labels: { release: 'a' }, value: 2 },
      { name: 'h_count', labels: { release: 'b' }, value: 7 },
    ])
    expect(samples.find((s) => s.name === 'c')).toEqual({
      name: 'c',
      labels: { path: 'a"b\\c\nd', x: 'y' },
      value: 3,
    })
    expect(samples.find((s) => s.name === 'plain')?.value).toBe(0.0045)
    expect(samples.find((s) => s.name === 'bad')).toBeUndefined()
    expect(samples.find((s) => s.labels.le === '+Inf' && s.labels.release === 'b')?.value).toBe(7)
  })

  it('reads the counters of the real service as parse-prometheus-text-format does', async () => {
    const agent = await startAgent({ RELEASE_ID: 'r-parse', FAULT_ERROR_RATE: '0.3' })
    await sendQueries(agent.url, 12)
    const text = await (await fetch(`${agent.url}/metrics`)).text()
    const ours = parseExposition(text)
    let compared = 0
    for (const family of parsePrometheusTextFormat(text)) {
      if (family.type !== 'COUNTER') continue
      for (const metric of family.metrics) {
        const match = ours.find(
          (s) =>
            s.name === family.name &&
            JSON.stringify(s.labels) === JSON.stringify(metric.labels ?? {}),
        )
        expect(match?.value).toBe(Number(metric.value))
        compared++
      }
    }
    expect(compared).toBeGreaterThanOrEqual(3)
  })
})

describe('histogram quantiles as PromQL computes them', () => {
  const buckets = (pairs: [number, number][]) =>
    pairs.map(([upperBound, count]) => ({ upperBound, count }))

  it('interpolates linearly inside the bucket that holds the rank', () => {
    // 100 observations: 50 ≤ 0.1, 90 ≤ 0.5, all ≤ 1. Rank 95 lies halfway into (0.5, 1].
    const h = buckets([
      [0.1, 50],
      [0.5, 90],
      [1, 100],
      [Infinity, 100],
    ])
    expect(histogramQuantile(0.95, h)).toBeCloseTo(0.75, 12)
    expect(histogramQuantile(0.5, h)).toBeCloseTo(0.1, 12)
    // The first bucket interpolates from 0.
    expect(histogramQuantile(0.2, h)).toBeCloseTo(0.04, 12)
  })

  it('answers the highest finite bound for a rank in +Inf, and null without data', () => {
    expect(
      histogramQuantile(
        0.95,
        buckets([
          [1, 1],
          [Infinity, 10],
        ]),
      ),
    ).toBe(1)
    expect(
      histogramQuantile(
        0.95,
        buckets([
          [1, 0],
          [Infinity, 0],
        ]),
      ),
    ).toBeNull()
    expect(histogramQuantile(0.95, buckets([[1, 3]]))).toBeNull()
  })
})

describe('totals between two scrapes', () => {
  it('subtracts the earlier scrape, selects by label, and survives a restart', () => {
    const at = (n: number, errors: number) =>
      totalsOf(
        parseExposition(
          [
            `http_server_requests_total{release="x",status_class="2xx"} ${n - errors}`,
            `http_server_requests_total{release="x",status_class="5xx"} ${errors}`,
            `http_server_requests_total{release="y",status_class="2xx"} 1000`,
            `http_server_errors_total{release="x",error_type="500"} ${errors}`,
            `llm_cost_usd_total{release="x"} ${n * 0.001}`,
          ].join('\n'),
        ),
        { release: 'x' },
      )
    const delta = difference(at(30, 4), at(10, 1))
    const metrics = metricsOf(delta, 60_000)
    expect(metrics).toMatchObject({ requests: 20, errors: 3, errorRate: 0.15 })
    expect(metrics.costPerRequestUsd).toBeCloseTo(0.001, 12)
    expect(metrics.costPerHourUsd).toBeCloseTo(0.02 * 60, 12)
    // The counters went down: the process restarted, and the later scrape is all there is.
    expect(difference(at(5, 0), at(30, 4)).requests).toBe(5)
    expect(metricsOf(difference(at(10, 1), at(10, 1)), 1000)).toMatchObject({
      requests: 0,
      errorRate: null,
      latencyP95Ms: null,
      costPerRequestUsd: null,
      costPerHourUsd: 0,
    })
  })
})
