/**
 * The run and compare pages of `shipgate view` in Debian's Chromium, against the real server
 * (startViewer on a free loopback port) over a store holding a 2,000-case run and its
 * baseline: the run page loads a page of cases, its status filter and page links work,
 * a case leads to its case page and on to the comparison, which lists the case that passed in
 * the baseline and fails now under "broken", both outputs side by side with the diff marked.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Store } from '../../src/contracts/store.js'
import { openStore } from '../../src/stores/index.js'
import { startViewer, type Viewer } from '../../src/workflows/view/index.js'
import { describeChromium, launchChromium } from '../helpers/chromium.js'
import { recordRun, runId, startOf, type CaseSpec } from '../helpers/view-runs.js'

const CASES = 2000
const BASE = runId(1, 'base01')
const RUN = runId(2, 'feat02')

/** 2,000 cases × 3 samples; `now` breaks every 40th case (from the 5th) and makes others flaky. */
function cases(now: boolean): CaseSpec[] {
  return Array.from({ length: CASES }, (_, i) => {
    const id = `case-${String(i).padStart(4, '0')}`
    const broken = now && i % 40 === 5
    const flaky = now && i % 40 === 9
    const answer = broken
      ? `Case ${i}: the refund takes <b>10</b> business days.`
      : `Case ${i}: the refund takes 5 business days.`
    const samples = [0, 1, 2].map((k) => ({
      output: answer,
      pass: !broken && !(flaky && k === 2),
      judged: k === 0,
    }))
    return { suite: i < 1200 ? 'support' : 'billing', id, vars: { n: i }, samples }
  })
}

describeChromium('the run and compare pages in Chromium', () => {
  let store: Store
  let viewer: Viewer
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    store = await openStore(':memory:', process.cwd())
    await recordRun(store, BASE, { startedAt: startOf(1), branch: 'main', cases: cases(false) })
    await recordRun(store, RUN, { startedAt: startOf(2), branch: 'feature', cases: cases(true) })
    viewer = await startViewer({ store, cwd: process.cwd(), env: {}, port: 0 })
    browser = await launchChromium()
    page = await browser.newPage()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await viewer?.close()
    await store?.close()
  })

  it('loads a page of a 2,000-case run, failing cases first and open', async () => {
    // Script errors and anything the CSP refused (a favicon's 404 is neither).
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused/i.test(m.text()))
        errors.push(m.text())
    })
    // How fast it is, is measured by bench/view.mjs (a timed test would be flaky on a busy machine).
    expect((await page.goto(`${viewer.url}/runs/${RUN}`))?.status()).toBe(200)
    const listed = page.locator('details.case')
    expect(await listed.count()).toBe(50)
    const statuses = await Promise.all(
      (await listed.all()).map((l) => l.getAttribute('data-status')),
    )
    expect(statuses.every((s) => s === 'fail')).toBe(true)
    expect(await page.locator('details.case[data-status="fail"][open]').count()).toBe(50)
    // The next page: the flaky cases, closed.
    await page.goto(`${viewer.url}/runs/${RUN}?page=2`)
    expect(await page.locator('details.case[data-status="flaky"]').count()).toBe(50)
    expect(await page.locator('details.case[open]').count()).toBe(0)
    expect(errors).toEqual([])
  })

  it('filters by status and pages with the links and the form', async () => {
    await page.goto(`${viewer.url}/runs/${RUN}`)
    await page.click('nav.status a[data-filter="fail"]')
    expect(new URL(page.url()).searchParams.get('status')).toBe('fail')
    expect(await page.locator('details.case').count()).toBe(50)
    expect(await page.locator('details.case:not([data-status="fail"])').count()).toBe(0)
    await page.click('nav.status a[data-filter="pass"]')
    expect(await page.textContent('[data-field="page"]')).toContain('page 1 of 38')
    const first = await page.locator('details.case').first().getAttribute('data-case')
    await page.locator('a[rel="next"]').first().click()
    expect(await page.textContent('[data-field="page"]')).toContain('page 2 of 38')
    expect(await page.locator('details.case').first().getAttribute('data-case')).not.toBe(first)
    expect(await page.locator('details.case[data-status="pass"]').count()).toBe(50)
    // The GET form: the billing suite's failing cases (20 of the 50).
    await page.selectOption('select[name="status"]', 'fail')
    await page.selectOption('select[name="suite"]', 'billing')
    await page.click('form.filters button[type="submit"]')
    expect(await page.locator('details.case').count()).toBe(20)
    expect(await page.locator('details.case:not([data-suite="billing"])').count()).toBe(0)
  })

  it('goes from the run to a case, then to the comparison with the broken case diffed', async () => {
    await page.goto(`${viewer.url}/runs/${RUN}?status=fail`)
    await page.locator('details.case a.case-link').first().click()
    expect(new URL(page.url()).pathname).toBe(`/runs/${RUN}/case`)
    expect(await page.textContent('h1')).toContain('case-0005')
    expect(await page.locator('.sample').count()).toBe(3)
    await page.click('text=compare with baseline')
    expect(new URL(page.url()).pathname).toBe('/compare')
    expect(await page.textContent('main')).toContain(`A is B's baseline`)
    const broken = page.locator('details.changed[data-change="broken"][data-case="case-0005"]')
    expect(await broken.count()).toBe(1)
    const before = broken.locator('.before pre.output').first()
    const after = broken.locator('.after pre.output').first()
    expect(await before.textContent()).toBe('Case 5: the refund takes 5 business days.')
    expect(await after.textContent()).toBe('Case 5: the refund takes <b>10</b> business days.')
    expect(await before.locator('del').allTextContents()).toEqual(['5'])
    expect(await after.locator('ins').allTextContents()).toEqual(['<b>10</b>'])
    // Model text stays text: no <b> element was made from it.
    expect(await after.locator('b').count()).toBe(0)
    expect(await page.locator('nav.changes a[data-filter="broken"]').textContent()).toContain(
      'broken (50)',
    )
    await broken.locator('a[data-run="a"]').click()
    expect(new URL(page.url()).pathname).toBe(`/runs/${BASE}/case`)
    expect(await page.locator('.sample .pass').count()).toBeGreaterThan(0)
  })
})
