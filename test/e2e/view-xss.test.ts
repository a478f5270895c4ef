/**
 * The viewer under attack, in Debian's Chromium: script, event-handler, `javascript:` URL and
 * markdown-image payloads in outputs, vars, case ids, suite names, judge reasons, branch names,
 * release names and deployment details. On every page: no dialog opens, nothing but the
 * viewer's own elements appears (links stay inside the viewer, scripts come from /assets/),
 * no event handler is set, the CSP reports no violation, and each payload shows as text.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Store } from '../../src/contracts/store.js'
import { openStore } from '../../src/stores/index.js'
import { startViewer, type Viewer } from '../../src/workflows/view/index.js'
import { describeChromium, launchChromium } from '../helpers/chromium.js'
import {
  ACTIVE_ATTRIBUTES,
  ADD_SCRIPT,
  OPEN_ALL,
  PAYLOADS,
  payloadInput,
  storeDeploys,
  storeRun,
  SUITE,
  TARGET,
  XSS_CANARY,
  XSS_RELEASE,
  XSS_ROLLBACK,
} from '../helpers/xss.js'

const BASE = '20261130-120000-base00'
const CURRENT = '20261201-120000-curr00'

/** Elements the viewer never draws: any of them on a page was injected. */
const FOREIGN =
  'img, iframe, object, embed, base, svg, meta[http-equiv="refresh"], frame, video, audio'

/** The pages, each with the payload text it must show. */
const PAGES: readonly { readonly path: string; readonly shows: readonly string[] }[] = [
  { path: '/', shows: [PAYLOADS[0] ?? '', SUITE] },
  { path: `/?branch=${encodeURIComponent(PAYLOADS[0] ?? '')}`, shows: [PAYLOADS[0] ?? ''] },
  { path: `/?suite=${encodeURIComponent(SUITE)}`, shows: [SUITE] },
  { path: `/trends?suite=${encodeURIComponent(SUITE)}`, shows: [SUITE] },
  { path: '/trends', shows: [SUITE] },
  { path: '/releases', shows: [PAYLOADS[1] ?? '', TARGET] },
  { path: `/releases/${XSS_RELEASE}`, shows: [...PAYLOADS, TARGET] },
  { path: '/deployments', shows: [TARGET, PAYLOADS[5] ?? ''] },
  { path: `/deployments?target=${encodeURIComponent(TARGET)}`, shows: [TARGET] },
  { path: `/deployments/${XSS_CANARY}`, shows: [...PAYLOADS, TARGET] },
  { path: `/deployments/${XSS_ROLLBACK}`, shows: [...PAYLOADS, TARGET] },
  { path: `/runs/${CURRENT}`, shows: [...PAYLOADS, SUITE] },
  {
    path: `/runs/${CURRENT}?status=all&q=${encodeURIComponent(PAYLOADS[2] ?? '')}`,
    shows: [PAYLOADS[2] ?? ''],
  },
  {
    path: `/runs/${CURRENT}/case?suite=${encodeURIComponent(SUITE)}&case=${encodeURIComponent(PAYLOADS[3] ?? '')}`,
    shows: [...PAYLOADS, SUITE],
  },
  { path: `/compare?a=${BASE}&b=${CURRENT}`, shows: [...PAYLOADS, SUITE] },
  {
    path: `/compare?b=${CURRENT}&base=${encodeURIComponent(PAYLOADS[0] ?? '')}`,
    shows: [...PAYLOADS],
  },
]

const describe = describeChromium
describe('the viewer in Chromium, under XSS payloads', () => {
  let browser: Browser
  let store: Store
  let viewer: Viewer

  beforeAll(async () => {
    store = await openStore(':memory:', process.cwd())
    await storeRun(
      store,
      payloadInput(BASE, () => true, '2026-11-30T12:00:00.000Z'),
    )
    await storeRun(
      store,
      payloadInput(CURRENT, (i) => i % 2 === 1, '2026-12-01T12:00:00.000Z'),
    )
    await storeDeploys(store)
    viewer = await startViewer({ store, cwd: process.cwd(), env: {}, port: 0 })
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await viewer?.close()
    await store?.close()
  })

  it.each(PAGES)(
    '$path: no dialog, no foreign element or handler, every payload as text',
    async ({ path, shows }) => {
      const page = await browser.newPage()
      const dialogs: string[] = []
      const console: string[] = []
      page.on('dialog', (d) => {
        dialogs.push(d.message())
        void d.dismiss()
      })
      page.on('console', (m) => console.push(m.text()))
      try {
        const response = await page.goto(`${viewer.url}${path}`)
        expect(response?.status()).toBe(200)
        await page.evaluate(OPEN_ALL)
        await page.waitForTimeout(200)
        expect(dialogs).toEqual([])
        expect(await page.locator(FOREIGN).count()).toBe(0)
        const attributes = await page.evaluate<string[]>(ACTIVE_ATTRIBUTES)
        for (const attribute of attributes) {
          // Links and forms stay inside the viewer; scripts and styles come from /assets/.
          expect(attribute, attribute).toMatch(
            /^(A@href=[/?#]|FORM@action=\/|SCRIPT@src=\/assets\/|LINK@href=(\/assets\/|data:,$))/,
          )
          expect(attribute, attribute).not.toMatch(/javascript:/i)
        }
        expect(console.filter((m) => /Content Security Policy|Refused/.test(m))).toEqual([])
        const text = await page.locator('body').innerText()
        for (const payload of shows) expect(text, payload).toContain(payload)
      } finally {
        await page.close()
      }
    },
    30_000,
  )

  it('is barred by its policy from running an inline script, even when asked to', async () => {
    const page = await browser.newPage()
    const dialogs: string[] = []
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.dismiss()
    })
    const violations: string[] = []
    page.on('console', (m) => violations.push(m.text()))
    try {
      await page.goto(`${viewer.url}/`)
      await page.evaluate(ADD_SCRIPT)
      await page.waitForTimeout(300)
      expect(dialogs).toEqual([])
      expect(violations.join('\n')).toContain('Content Security Policy')
    } finally {
      await page.close()
    }
  }, 30_000)
})
