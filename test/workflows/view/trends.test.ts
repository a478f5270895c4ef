import { describe, expect, it } from 'vitest'
import { judgedGrade } from '../../helpers/results.js'
import { memoryViewer } from '../../helpers/view-app.js'
import type { Store } from '../../../src/contracts/store.js'
import { ResultsCache, viewApp } from '../../../src/workflows/view/index.js'
import { newRun, plannedCase, runEnd, sample, suite } from '../../contract/store.contract.js'

/**
 * Run i (a minute apart, branches alternating main/feature, every fifth failed) of suites
 * `smoke` and `other`: 4 cases of smoke, case j passing when j ≥ i % 3, costing 0.01·(j+1),
 * taking 100·(j+1) ms, judged 1, 0.5, 0.5, 1. Returns the ids newest first.
 */
async function seed(store: Store, n: number): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    const id = `20261201-${String(i).padStart(6, '0')}-aaaaaa`
    const startedAt = new Date(Date.UTC(2026, 11, 1, 0, i)).toISOString()
    const branch = i % 2 === 0 ? 'main' : 'feature'
    const cases = [0, 1, 2, 3].map((j) => plannedCase('smoke', `c${j}`))
    await store.runs.create(
      newRun(id, {
        startedAt,
        git: { commit: `c0ffee${i}`, branch, dirty: false },
        suites: [suite('smoke'), suite('other')],
      }),
      [...cases, plannedCase('other', 'o1')],
    )
    await store.runs.appendSamples(id, [
      ...[0, 1, 2, 3].map((j) =>
        sample('smoke', `c${j}`, 0, {
          pass: j >= i % 3,
          costUsd: 0.01 * (j + 1),
          latencyMs: 100 * (j + 1),
          grades: [judgedGrade(j === 0 || j === 3 ? 1 : 0.5)],
        }),
      ),
      sample('other', 'o1', 0),
    ])
    await store.runs.finish(id, runEnd(i % 5 === 4 ? 'failed' : 'completed'))
    ids.push(id)
  }
  return ids.reverse()
}

function rowsOf(body: string): string[] {
  return [...body.matchAll(/<tr data-run="([^"]+)"/g)].map((m) => m[1] ?? '')
}

/** The text of each row's cell for `measure`, newest first. */
function cells(body: string, measure: string): string[] {
  const re = new RegExp(`<td data-measure="${measure}">([^<]*)</td>`, 'g')
  return [...body.matchAll(re)].map((m) => m[1] ?? '')
}

/** The JSON a chart carries for view.js. */
function chartData(body: string, measure: string): Record<string, (number | null)[]> {
  const attr = new RegExp(`data-chart="${measure}"[^>]*data-series="([^"]*)"`).exec(body)?.[1]
  expect(attr).toBeDefined()
  return JSON.parse((attr ?? '').replaceAll('&quot;', '"').replaceAll('&amp;', '&')) as Record<
    string,
    (number | null)[]
  >
}

describe('the trends page', () => {
  const viewer = memoryViewer()
  const { get } = viewer

  it('without a suite, lists the suites of recent runs to pick, and draws no chart', async () => {
    await seed(viewer.store, 3)
    const res = await get('/trends')
    expect(res.status).toBe(200)
    const body = await res.text()
    expect(body).toContain('<a href="/trends?suite=smoke">smoke</a>')
    expect(body).toContain('<option value="other"')
    expect(body).toContain('action="/trends"')
    expect(body).not.toContain('data-chart=')
    expect(body).not.toContain('uplot.js')
  })

  it('charts and tabulates the completed runs of a suite with their intervals', async () => {
    const ids = await seed(viewer.store, 6)
    const completed = ids.filter((_, k) => (5 - k) % 5 !== 4)
    const res = await get('/trends?suite=smoke')
    expect(res.status).toBe(200)
    const body = await res.text()
    expect(rowsOf(body)).toEqual(completed)
    // Newest: run 5, where c0 and c1 fail (5 % 3 = 2); run 4 failed, so next is run 3, all pass.
    expect(cells(body, 'passRate')[0]).toMatch(/^0\.500 \[0\.\d{3}, 0\.\d{3}\]$/)
    expect(cells(body, 'passRate')[1]).toMatch(/^1\.000 \[0\.\d{3}, 1\.000\]$/)
    // Cases cost 0.01 … 0.04: mean 0.025, t interval with 3 df [0.00446, 0.04554].
    expect(cells(body, 'costPerCase')[0]).toBe('$0.0250 [$0.0045, $0.0455]')
    // Four latencies 100 … 400 ms: p95 385 ms; four values bound it below only (rank 3).
    expect(cells(body, 'latencyP95')[0]).toBe('385 ms [300 ms, ∞]')
    expect(cells(body, 'judgeScore')[0]).toMatch(/^0\.750 \[0\.\d{3}, 1\.000\]$/)
    const pass = chartData(body, 'passRate')
    expect(pass.x).toHaveLength(completed.length)
    expect(pass.x?.[0]).toBe(Date.UTC(2026, 11, 1, 0, 0) / 1000)
    expect(pass.y?.at(-1)).toBe(0.5)
    expect(chartData(body, 'latencyP95').upper?.every((v) => v === null)).toBe(true)
    expect(body).toContain('src="/assets/uplot.js"')
    expect(body).toContain('src="/assets/view.js"')
    expect(body).toContain('href="/assets/uplot.css"')
  })

  it('keeps to one branch and to the last N runs', async () => {
    const ids = await seed(viewer.store, 9)
    const main = ids.filter((id) => Number(id.slice(9, 15)) % 2 === 0)
    const mainCompleted = main.filter((id) => Number(id.slice(9, 15)) % 5 !== 4)
    const body = await (await get('/trends?suite=smoke&branch=main&runs=2')).text()
    expect(rowsOf(body)).toEqual(mainCompleted.slice(0, 2))
    expect(body).toContain('value="main"')
    expect(chartData(body, 'costPerCase').x).toHaveLength(2)
  })

  it('says when nothing can be charted, without a chart', async () => {
    await seed(viewer.store, 2)
    const body = await (await get('/trends?suite=other')).text()
    expect(body).toContain('No judge graded these runs.')
    expect(body).toContain('No sample had a price.')
    expect(body).not.toContain('data-chart="judgeScore"')
    expect(body).toContain('data-chart="passRate"')
  })

  it('answers an unknown suite with 404 and a bad run count with 400', async () => {
    await seed(viewer.store, 2)
    const missing = await get('/trends?suite=nope')
    expect(missing.status).toBe(404)
    expect(await missing.text()).toContain('no completed run matches suite')
    expect((await get('/trends?suite=smoke&branch=gone')).status).toBe(404)
    expect((await get('/trends?suite=smoke&runs=0')).status).toBe(400)
    expect((await get('/trends?suite=smoke&runs=501')).status).toBe(400)
  })

  it('escapes a suite name in the form, the list and the charts', async () => {
    const id = '20261202-000000-bbbbbb'
    const name = '<img src=x onerror=alert(1)>'
    await viewer.store.runs.create(newRun(id, { suites: [suite(name)] }), [plannedCase(name, 'c')])
    await viewer.store.runs.appendSamples(id, [sample(name, 'c', 0)])
    await viewer.store.runs.finish(id, runEnd())
    const list = await (await get('/trends')).text()
    const body = await (await get(`/trends?suite=${encodeURIComponent(name)}`)).text()
    for (const page of [list, body]) {
      expect(page).not.toContain('<img')
      expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;')
    }
  })

  it('reads each run’s results once, then charts from the points it kept', async () => {
    class Counting extends ResultsCache {
      reads = 0
      override get(ref: string) {
        this.reads += 1
        return super.get(ref)
      }
    }
    const results = new Counting(viewer.store)
    const app = viewApp({ store: viewer.store, results, token: null, loopback: true })
    const page = async (path: string) => (await app.request(`http://127.0.0.1${path}`)).text()
    await seed(viewer.store, 4)
    const first = await page('/trends?suite=smoke')
    expect(results.reads).toBe(4)
    const again = await page('/trends?suite=smoke&branch=main')
    expect(results.reads).toBe(4)
    expect(cells(again, 'costPerCase')).toEqual(
      cells(first, 'costPerCase').filter((_, i) => i % 2 === 1),
    )
  })

  it('serves the chart script', async () => {
    const res = await get('/assets/view.js')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/javascript')
    expect(await res.text()).toContain('data-series')
  })
})
