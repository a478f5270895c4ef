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
import { compareRuns } from '../../src/core/gate/compare.js'
import { renderHtmlReport } from '../../src/reporters/html/index.js'
import { describeChromium, launchChromium, offlinePage } from '../helpers/chromium.js'
import {
  ACTIVE,
  ACTIVE_ATTRIBUTES,
  ADD_SCRIPT,
  OPEN_ALL,
  PAYLOADS,
  payloadRun as run,
  SUITE,
} from '../helpers/xss.js'

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
