/**
 * Debian's Chromium for browser tests, driven through playwright-core (which never downloads a
 * browser): `describeChromium` skips a suite where `chromium` is missing, or fails it under
 * SHIPGATE_REQUIRE_SERVICES=1; `launchChromium` starts it headless.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { checkService, requireService } from './services.js'

/** `describe` for suites that drive Chromium (scripts/install-services.sh installs it). */
export const describeChromium = requireService('Chromium', 'chromium')

/**
 * Launches Debian's `chromium` headless. As root, Chromium refuses to start without
 * `--no-sandbox`; only then is it passed. Close the browser in `afterAll`.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = checkService('Chromium', 'chromium')
  if (executablePath === undefined) throw new Error('Chromium: `chromium` is not on PATH')
  const root = process.getuid?.() === 0
  return chromium.launch({ executablePath, headless: true, args: root ? ['--no-sandbox'] : [] })
}

/** What an offline page saw: dialogs it opened, requests that tried to leave `file://`. */
export interface OfflinePage {
  readonly context: BrowserContext
  readonly page: Page
  readonly dialogs: string[]
  readonly requests: string[]
}

/**
 * A page in a fresh context with the network off: every request other than `file:` is aborted
 * and recorded, and every dialog is dismissed and recorded. Close `context` when done.
 */
export async function offlinePage(browser: Browser): Promise<OfflinePage> {
  const context = await browser.newContext({ javaScriptEnabled: true })
  await context.setOffline(true)
  const requests: string[] = []
  await context.route('**/*', async (route) => {
    const url = route.request().url()
    if (url.startsWith('file:')) return route.continue()
    requests.push(url)
    return route.abort()
  })
  const page = await context.newPage()
  const dialogs: string[] = []
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  // Requests the route may not see (a navigation away, a prefetch) are recorded too.
  page.on('request', (request) => {
    const url = request.url()
    if (!url.startsWith('file:') && !requests.includes(url)) requests.push(url)
  })
  return { context, page, dialogs, requests }
}
