/**
 * The HTML report under attack, in Debian's Chromium: script, event-handler, `javascript:` URL
 * and markdown-image payloads in outputs, vars, case ids, suite names and judge reasons, in the
 * run and in its comparison. Opened from file:// with the network off, no dialog opens, no
 * element is injected, no request leaves, and every payload is shown as text.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { CaseInfo, ResultsDocument, SampleResult } from '../../src/contracts/results.js'
import { buildResults } from '../../src/core/eval/aggregate.js'
import { compareRuns } from '../../src/core/gate/compare.js'
import { renderHtmlReport } from '../../src/reporters/html/index.js'
import { describeChromium, launchChromium, offlinePage } from '../helpers/chromium.js'
import { completedRun, sampleResult, suiteInfo } from '../helpers/results.js'

const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">click</a>',
  '![x](javascript:alert(1))',
  '"><svg onload=alert(1)>',
  "'><iframe src=javascript:alert(1)>",
]
const SUITE = `suite ${PAYLOADS[4]}`
const ALL = PAYLOADS.join(' | ')

/** One case per payload, its id the payload; its var, output and judge reason all payloads. */
function run(id: string, pass: (i: number) => boolean): ResultsDocument {
  const cases: (CaseInfo & { suite: string })[] = PAYLOADS.map((p) => ({
    suite: SUITE,
    id: p,
    description: p,
    vars: { text: ALL, [p]: p },
    tags: [],
  }))
  const samples: SampleResult[] = PAYLOADS.map((p, i) =>
    sampleResult({
      suite: SUITE,
      caseId: p,
      output: `${id}: ${ALL}`,
      pass: pass(i),
      score: pass(i) ? 1 : 0,
      grades: [{ type: 'llm-rubric', pass: pass(i), score: 0, reason: ALL, weight: 1 }],
      error: pass(i) ? null : { kind: 'assertion', message: ALL },
    }),
  )
  return buildResults({
    run: completedRun({ id, git: { commit: 'abc', branch: PAYLOADS[0] ?? '', dirty: false } }),
    suites: [suiteInfo({ name: SUITE })],
    cases,
    samples,
  })
}

/** Elements that could run script, load something, or navigate. */
const ACTIVE =
  'script, img, svg, iframe, object, embed, a, link, form, base, meta[http-equiv="refresh"]'
const OPEN_ALL = "for (const d of document.querySelectorAll('details')) d.open = true"
/** Every event-handler, href or src attribute on the page, as `tag@name`. */
const ACTIVE_ATTRIBUTES = `[...document.querySelectorAll('*')].flatMap((e) =>
  e.getAttributeNames()
    .filter((n) => n.startsWith('on') || n === 'href' || n === 'src')
    .map((n) => e.tagName + '@' + n))`
const ADD_SCRIPT = `{ const s = document.createElement('script'); s.textContent = 'alert(2)'; document.body.append(s) }`

const describe = describeChromium
describe('the HTML report in Chromium, under XSS payloads', () => {
  let browser: Browser
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-html-xss-'))
  const file = join(dir, 'report.html')
  beforeAll(async () => {
    browser = await launchChromium()
    const baseline = run('base', () => true)
    const current = run('current', (i) => i % 2 === 1)
    const comparison = compareRuns(baseline, current)
    writeFileSync(
      file,
      renderHtmlReport({ results: current, baseline: { results: baseline, comparison } }),
    )
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('opens no dialog, injects no element, sends no request, and shows every payload', async () => {
    const { context, page, dialogs, requests } = await offlinePage(browser)
    try {
      await page.goto(pathToFileURL(file).href)
      // Open every collapsed part, so what is inside would run or load too. (Strings: the
      // page's code runs in the browser, and the tests are typed without the DOM.)
      await page.evaluate(OPEN_ALL)
      await page.waitForTimeout(300)
      expect(dialogs).toEqual([])
      expect(requests).toEqual([])
      expect(await page.locator(ACTIVE).count()).toBe(0)
      expect(await page.evaluate(ACTIVE_ATTRIBUTES)).toEqual([])
      const text = await page.locator('body').innerText()
      for (const p of PAYLOADS) expect(text).toContain(p)
      expect(text).toContain(SUITE)
      // The payload cases are in the comparison: half broken, by id.
      const broken = await Promise.all(
        (await page.locator('[data-change="broken"]').all()).map((l) =>
          l.getAttribute('data-case'),
        ),
      )
      expect(broken).toEqual(PAYLOADS.filter((_, i) => i % 2 === 0))
    } finally {
      await context.close()
    }
  }, 60_000)

  it('is barred by its own policy from running script, even when asked to', async () => {
    const { context, page, dialogs } = await offlinePage(browser)
    try {
      await page.goto(pathToFileURL(file).href)
      const violations: string[] = []
      page.on('console', (m) => violations.push(m.text()))
      // An attacker's inline element, added after load: the CSP (default-src 'none') refuses it.
      await page.evaluate(ADD_SCRIPT)
      await page.waitForTimeout(300)
      expect(dialogs).toEqual([])
      expect(violations.join('\n')).toContain('Content Security Policy')
    } finally {
      await context.close()
    }
  }, 60_000)
})
