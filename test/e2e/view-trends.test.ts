/**
 * The trends page in Debian's Chromium, against the real viewer on loopback: the four charts
 * draw (uPlot canvases with a size and coloured pixels), nothing breaks the CSP or logs an
 * error, and picking a suite in the form navigates to its trends.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { judgedGrade } from '../helpers/results.js'
import type { Store } from '../../src/contracts/store.js'
import { openStore } from '../../src/stores/index.js'
import { startViewer, type Viewer } from '../../src/workflows/view/index.js'
import { newRun, plannedCase, runEnd, sample, suite } from '../contract/store.contract.js'
import { describeChromium, launchChromium } from '../helpers/chromium.js'

/** Twelve completed runs of suites `review` and `smoke`, 80 cases of review each. */
async function seed(store: Store): Promise<void> {
  for (let i = 0; i < 12; i++) {
    const id = `20261201-${String(i).padStart(6, '0')}-cccccc`
    const cases = Array.from({ length: 80 }, (_, j) => plannedCase('review', `c${j}`))
    await store.runs.create(
      newRun(id, {
        startedAt: new Date(Date.UTC(2026, 11, 1 + i)).toISOString(),
        suites: [suite('review'), suite('smoke')],
      }),
      [...cases, plannedCase('smoke', 's1')],
    )
    await store.runs.appendSamples(id, [
      ...cases.map((c, j) =>
        sample('review', c.id, 0, {
          pass: (j + i) % 7 !== 0,
          costUsd: 0.001 * (1 + ((j * 7 + i) % 5)),
          latencyMs: 200 + ((j * 37 + i * 11) % 400),
          grades: [judgedGrade(((j + i) % 10) / 10)],
        }),
      ),
      sample('smoke', 's1', 0),
    ])
    await store.runs.finish(id, runEnd())
  }
}

/** What the page reported: console errors, page errors and CSP violations. */
function watch(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (m) => {
    // A failed load is checked by its response below, where its URL is known.
    if (m.text().startsWith('Failed to load resource')) return
    if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text()))
      problems.push(`console: ${m.text()}`)
  })
  page.on('response', (r) => {
    // The browser asks for a favicon on its own; the viewer has none.
    if (r.status() >= 400 && new URL(r.url()).pathname !== '/favicon.ico')
      problems.push(`${r.status()}: ${r.url()}`)
  })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  return problems
}

/** What a chart's canvas holds: its size and how many pixels are not transparent. */
interface Drawn {
  readonly chart: string
  readonly width: number
  readonly height: number
  readonly inked: number
}

// Run in the page (as text: the tests' TypeScript has no DOM types).
const DRAWN = `[...document.querySelectorAll('div.chart[data-chart]')].map((el) => {
  const canvas = el.querySelector('canvas')
  if (canvas === null) return { chart: el.dataset.chart, width: 0, height: 0, inked: 0 }
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data
  let inked = 0
  for (let p = 3; p < pixels.length; p += 4) if (pixels[p] > 0) inked += 1
  return { chart: el.dataset.chart, width: canvas.width, height: canvas.height, inked }
})`

/** Pixels of the pass-rate chart in the band's colour: 15% of #0969da, blue and translucent. */
const BAND_PIXELS = `(() => {
  const canvas = document.querySelector('div[data-chart="passRate"] canvas')
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data
  let n = 0
  for (let p = 0; p < data.length; p += 4) {
    const [r, g, b, a] = [data[p], data[p + 1], data[p + 2], data[p + 3]]
    if (a > 0 && a < 80 && b > r && g > r) n += 1
  }
  return n
})()`

const REPORT_CSP = `document.addEventListener('securitypolicyviolation', (e) =>
  console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))`

describeChromium('the trends page in Chromium', () => {
  let store: Store
  let viewer: Viewer
  let browser: Browser

  beforeAll(async () => {
    store = await openStore(':memory:', process.cwd())
    await seed(store)
    viewer = await startViewer({ store, cwd: process.cwd(), env: {}, port: 0 })
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    await viewer?.close()
    await store?.close()
  })

  it('draws the four charts with their bands, under the CSP, with no error', async () => {
    const page = await browser.newPage()
    const problems = watch(page)
    await page.addInitScript(REPORT_CSP)
    await page.goto(`${viewer.url}/trends?suite=review`)
    await page.waitForSelector('div.chart[data-drawn="true"] canvas')
    await page.waitForFunction(
      `document.querySelectorAll('div.chart[data-drawn="true"]').length === 4`,
    )
    const charts = await page.evaluate<Drawn[]>(DRAWN)
    expect(charts.map((c) => c.chart)).toEqual([
      'passRate',
      'judgeScore',
      'costPerCase',
      'latencyP95',
    ])
    for (const c of charts) {
      expect(c.width).toBeGreaterThan(100)
      expect(c.height).toBeGreaterThan(100)
      expect(c.inked).toBeGreaterThan(500)
    }
    // The band: a fill in the interval's colour is on the pass-rate canvas.
    const band = await page.evaluate<number>(BAND_PIXELS)
    expect(band).toBeGreaterThan(1000)
    expect(await page.locator('table.trends tbody tr').count()).toBe(12)
    expect(problems).toEqual([])
    await page.close()
  })

  it('navigates to a suite picked in the form', async () => {
    const page = await browser.newPage()
    const problems = watch(page)
    await page.goto(`${viewer.url}/trends`)
    await Promise.all([
      page.waitForURL(/\/trends\?suite=smoke/),
      page.selectOption('select[name="suite"]', 'smoke'),
    ])
    await expect(page.locator('h1').textContent()).resolves.toContain('smoke')
    await page.waitForSelector('div.chart[data-chart="passRate"][data-drawn="true"] canvas')
    expect(await page.locator('table.trends tbody tr').count()).toBe(12)
    expect(problems).toEqual([])
    await page.close()
  })
})
