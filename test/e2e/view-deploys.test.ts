/**
 * The viewer's releases and deployments pages in Debian's Chromium, served by the real server
 * (`startViewer`) over a store holding a promoted canary, an aborted one rolled back, a
 * `shipgate rollback` and a failed deploy: the pages load under the viewer's CSP with no
 * errors, the filter form narrows the list, the links lead from a release to its deployment
 * and back to the release it replaced, and the canary's weights show in its timeline.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Store } from '../../src/contracts/store.js'
import { openStore } from '../../src/stores/index.js'
import { startViewer, type Viewer } from '../../src/workflows/view/index.js'
import { describeChromium, launchChromium } from '../helpers/chromium.js'
import { seedDeploys, V2, V3 } from '../workflows/view/deploys-fixture.js'

describeChromium('the releases and deployments pages in Chromium', () => {
  let store: Store
  let viewer: Viewer
  let browser: Browser
  const problems: string[] = []

  beforeAll(async () => {
    store = await openStore(':memory:', process.cwd())
    await seedDeploys(store)
    viewer = await startViewer({ store, cwd: process.cwd(), env: {}, port: 0 })
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    await viewer?.close()
    await store?.close()
  })

  /**
   * A new page that records console errors (a CSP violation is one) and failed loads, other
   * than the favicon Chromium asks every site for (the viewer has none).
   */
  async function open(path: string): Promise<Page> {
    const page = await browser.newPage()
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        problems.push(`${page.url()}: ${m.text()}`)
    })
    page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`))
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico'))
        problems.push(`${r.url()}: ${r.status()}`)
    })
    const res = await page.goto(`${viewer.url}${path}`)
    expect(res?.status()).toBe(200)
    return page
  }

  /** The `data-<attr>` of every row that has one, in order. */
  async function ids(page: Page, attr: string): Promise<(string | null)[]> {
    const rows = await page.locator(`tr[data-${attr}]`).all()
    return Promise.all(rows.map((r) => r.getAttribute(`data-${attr}`)))
  }

  it('filters deployments by target and status with the form', async () => {
    const page = await open('/deployments')
    expect(await ids(page, 'deployment')).toEqual(['dep-5', 'dep-4', 'dep-3', 'dep-2', 'dep-1'])
    await page.fill('input[name="target"]', 'prod')
    await page.selectOption('select[name="status"]', 'rolled_back')
    await Promise.all([page.waitForURL(/status=rolled_back/), page.click('button[type="submit"]')])
    expect(new URL(page.url()).searchParams.get('target')).toBe('prod')
    expect(await ids(page, 'deployment')).toEqual(['dep-3'])
    expect(await page.inputValue('input[name="target"]')).toBe('prod')
    await page.selectOption('select[name="status"]', 'succeeded')
    await Promise.all([page.waitForURL(/status=succeeded/), page.click('button[type="submit"]')])
    expect(await ids(page, 'deployment')).toEqual(['dep-4', 'dep-2', 'dep-1'])
    await Promise.all([page.waitForURL(/\/deployments$/), page.click('text=clear')])
    expect(await ids(page, 'deployment')).toHaveLength(5)
    expect(problems).toEqual([])
    await page.close()
  })

  it('leads from a release to its deployment and back to the release it replaced', async () => {
    const page = await open('/releases')
    expect(await ids(page, 'release')).toEqual([V3, V2, 'rel-111111111111'])
    await Promise.all([
      page.waitForURL(`**/releases/${V3}`),
      page.click(`a[href="/releases/${V3}"]`),
    ])
    expect(await page.textContent('h1')).toBe(`Release ${V3}`)
    await Promise.all([
      page.waitForURL('**/deployments/dep-3'),
      page.click('tr[data-deployment="dep-3"] a[href="/deployments/dep-3"]'),
    ])
    expect(await page.textContent('h1')).toBe('Deployment dep-3')
    expect(await page.textContent('dd.reason')).toContain('canary failed: error rate')
    await Promise.all([page.waitForURL(`**/releases/${V2}`), page.click('dd.previous a')])
    expect(await page.textContent('h1')).toBe(`Release ${V2}`)
    expect(await ids(page, 'deployment')).toEqual(['dep-2'])
    // The navigation marks the section, and leads back to the list.
    await Promise.all([page.waitForURL('**/releases'), page.click('nav.top a.here')])
    expect(problems).toEqual([])
    await page.close()
  })

  it('shows the canary weights step by step in the timeline', async () => {
    const page = await open('/deployments/dep-2')
    const canary = page.locator('table.canary')
    expect(await canary.isVisible()).toBe(true)
    const meters = await Promise.all(
      (await canary.locator('meter').all()).map((m) => m.getAttribute('value')),
    )
    expect(meters).toEqual(['10', '10', '50', '50', '100'])
    const text = await canary.innerText()
    expect(text).toContain("set the canary's weight to 50%")
    expect(text).toMatch(
      /analyze for 2s, every 1s\s+passed\s+10%\s+passed no metric significantly worse/,
    )
    // The aborted canary: the failing analysis at 50%, then the rollback.
    const aborted = await open('/deployments/dep-3')
    const failing = aborted.locator('table.canary tr[data-kind="analysis"]').last()
    expect(await failing.innerText()).toMatch(/failed[\s\S]*50%[\s\S]*failed error rate 10\.3%/)
    expect(await aborted.locator('section.rollback').innerText()).toMatch(
      /The deploy failed and rolled back from rel-333333333333 to rel-222222222222: passed/,
    )
    expect(problems).toEqual([])
    await page.close()
    await aborted.close()
  })

  it('answers an unknown deployment with a 404 page', async () => {
    const page = await browser.newPage()
    const res = await page.goto(`${viewer.url}/deployments/dep-nope`)
    expect(res?.status()).toBe(404)
    expect(await page.textContent('p.error')).toContain('no deployment matches "dep-nope"')
    await page.close()
  })
})
