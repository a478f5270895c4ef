import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { describeChromium, launchChromium } from '../helpers/chromium.js'
import { finished, runCli, startCli } from '../helpers/cli.js'
import { minimalConfig, tempProject } from '../helpers/project.js'

/* `shipgate view` of the built CLI: refused off loopback without a token; with one, 401 without
   it, and a browser that opens the printed URL gets in and stays in by its cookie. */

const PORT_FREE = ['--port', '0']

/** Starts `shipgate view ARGS` and waits for the URL it prints. */
async function startView(cwd: string, args: readonly string[], env: Record<string, string> = {}) {
  const child = startCli(['view', ...PORT_FREE, ...args], { cwd, env })
  const done = finished(child)
  const printed = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (d: Buffer) => resolve(d.toString().trim()))
    child.once('close', () => reject(new Error('shipgate view exited before printing its URL')))
  })
  // Bound to every address: reach it on loopback.
  const url = printed.replace('://0.0.0.0:', '://127.0.0.1:')
  return { url, printed, stop: () => (child.kill('SIGTERM'), done) }
}

/** A project with one stored run. */
async function projectWithRun(): Promise<string> {
  const cwd = tempProject({ 'shipgate.yaml': minimalConfig() })
  expect((await runCli(['eval'], { cwd })).code).toBe(0)
  return cwd
}

describe('shipgate view', () => {
  it('refuses a non-loopback address without a token, saying how to give one', async () => {
    const cwd = tempProject({ 'shipgate.yaml': minimalConfig() })
    const result = await runCli(['view', ...PORT_FREE, '--host', '0.0.0.0'], { cwd })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('reachable from other machines')
    expect(result.stderr).toContain('SHIPGATE_VIEW_TOKEN')
  })

  it('with a token from the environment: 401 without it, the page with it, never printed', async () => {
    const token = 'e2e-view-token-7f3a'
    const cwd = await projectWithRun()
    const view = await startView(cwd, ['--host', '0.0.0.0'], { SHIPGATE_VIEW_TOKEN: token })
    expect(view.printed).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/$/)
    expect((await fetch(view.url)).status).toBe(401)
    const page = await fetch(view.url, { headers: { authorization: `Bearer ${token}` } })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('data-run=')
    const stopped = await view.stop()
    expect(stopped.code).toBe(130)
    expect(stopped.stdout + stopped.stderr).not.toContain(token)
  })

  it("looks for baselines on the config's gate.baseline branch", async () => {
    const cwd = tempProject({ 'shipgate.yaml': `${minimalConfig()}gate:\n  baseline: develop\n` })
    const view = await startView(cwd, [])
    const form = await (await fetch(`${view.url}compare`)).text()
    expect(form).toContain('name="base" value="develop"')
    expect((await view.stop()).code).toBe(130)
  })

  it('serves loopback without a token', async () => {
    const view = await startView(await projectWithRun(), [])
    expect(view.printed).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    expect((await fetch(view.url)).status).toBe(200)
    expect((await view.stop()).code).toBe(130)
  })
})

describeChromium('shipgate view in Chromium', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser.close()
  })

  it('opens the printed URL with a generated token, keeps the cookie, and pages work', async () => {
    const cwd = tempProject({ 'shipgate.yaml': minimalConfig() })
    for (let i = 0; i < 2; i++) expect((await runCli(['eval'], { cwd })).code).toBe(0)
    const view = await startView(cwd, ['--host', '0.0.0.0', '--new-token'])
    expect(view.printed).toMatch(/\/\?token=[\w-]{32}$/)
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      const errors: string[] = []
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text())
      })
      await page.goto(view.url)
      // The token left the address bar for a cookie the page's script cannot read.
      expect(new URL(page.url()).search).toBe('')
      expect(await page.evaluate('document.cookie')).toBe('')
      expect(await page.locator('tr[data-run]').count()).toBe(2)
      await page.selectOption('select[name="status"]', 'running')
      await page.click('form.filters button[type="submit"]')
      await page.waitForURL(/status=running/)
      expect(await page.locator('tr[data-run]').count()).toBe(0)
      await page.click('form.filters a[href="/"]')
      await page.waitForURL((u) => u.search === '')
      expect(await page.locator('tr[data-run]').count()).toBe(2)
      expect(errors).toEqual([])
      // Another browser without the cookie is turned away.
      const stranger = await browser.newPage()
      const base = new URL(view.url)
      base.search = ''
      expect((await stranger.goto(base.href))?.status()).toBe(401)
      await stranger.close()
    } finally {
      await context.close()
      await view.stop()
    }
  })
})
