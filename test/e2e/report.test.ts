/**
 * `shipgate eval -o report.html` and `shipgate report RUN --baseline REF -o report.html`, built
 * CLI against a fake Anthropic API, the report opened from file:// in Debian's Chromium with the
 * network off: it shows the same failing cases, samples passed, grades and changed cases as the
 * terminal's `eval` summary and `compare`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startFakeAnthropic } from '../fakes/anthropic.js'
import type { FakeServer } from '../fakes/server.js'
import { describeChromium, launchChromium, offlinePage } from '../helpers/chromium.js'
import { runCli, type CliResult } from '../helpers/cli.js'
import { writeFiles } from '../helpers/project.js'

const env = { ANTHROPIC_API_KEY: 'test-key' }

/** A project in a temp dir kept for the whole suite (the tests share its reports). */
function project(url: string): string {
  const cases = Array.from({ length: 6 }, (_, i) => `      - { id: c${i}, vars: { n: ${i} } }`)
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-report-'))
  writeFiles(dir, {
    'shipgate.yaml': `version: 1
providers:
  haiku: { type: anthropic, model: claude-3-5-haiku-20241022, baseUrl: ${url} }
prompts:
  p: { user: "Review change {{ n }}" }
suites:
  review:
    prompt: p
    provider: haiku
    assert: [{ type: contains, value: LGTM }]
    cases:
${cases.join('\n')}
`,
    '.gitignore': '.shipgate/\n',
  })
  return dir
}

/** The case ids the terminal lists after `✗ review › `, and its `passed/samples` figures. */
function terminalFailures(out: string): { failing: string[]; passed: string } {
  const failing = [...out.matchAll(/✗ review › (\S+)/g)].map((m) => m[1] ?? '')
  return { failing, passed: /(\d+\/\d+) samples passed/.exec(out)?.[1] ?? '' }
}

/** Ids listed under `broken in review:` (or fixed, flaky) by `shipgate compare`. */
function terminalChanges(out: string, change: string): string[] {
  const block = new RegExp(`${change} in review:\\n((?:  .*\\n)+)`).exec(out)?.[1] ?? ''
  return [...block.matchAll(/^ {2}(\S+)/gm)].map((m) => m[1] ?? '')
}

async function attribute(page: Page, selector: string, name: string): Promise<string[]> {
  const all = await page.locator(selector).all()
  return (await Promise.all(all.map((l) => l.getAttribute(name)))).map((v) => v ?? '')
}

describeChromium('the HTML report against the terminal report', () => {
  let server: FakeServer
  let browser: Browser
  let dir: string
  let broken = new Set<number>()
  const runs: Record<string, CliResult> = {}

  beforeAll(async () => {
    server = await startFakeAnthropic({
      reply: ({ body }) => {
        const n = Number(/change (\d+)/.exec(JSON.stringify(body.messages))?.[1])
        const text = broken.has(n) ? `needs <b>work</b> on ${n}` : 'LGTM'
        return { kind: 'text', text, usage: { input: 100, output: 20 } }
      },
    })
    dir = project(server.url)
    broken = new Set([4])
    runs.a = await runCli(['eval', '--no-progress', '-o', 'a.json'], { cwd: dir, env })
    broken = new Set([1, 2])
    const args = ['eval', '--no-progress', '-o', 'b.json', '-o', 'eval.html']
    runs.b = await runCli(args, { cwd: dir, env })
    runs.compare = await runCli(['compare', 'a.json', 'b.json'], { cwd: dir, env })
    const report = ['report', 'b.json', '--baseline', 'a.json', '-o', 'report.html']
    runs.report = await runCli(report, { cwd: dir, env })
    const ci = ['ci', '--no-progress', '--baseline', 'a.json', '-o', 'ci.html']
    runs.ci = await runCli(ci, { cwd: dir, env })
    browser = await launchChromium()
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it("writes the reports: `ci -o` with the comparison against the gate's baseline", () => {
    expect(runs.b?.code).toBe(1)
    expect(runs.ci?.code).toBe(1)
    expect(runs.report).toMatchObject({ code: 0, stdout: '', stderr: 'wrote report.html\n' })
    expect(existsSync(join(dir, 'eval.html'))).toBe(true)
  })

  it('refuses a run that does not exist (exit 2), and writes nothing', async () => {
    const run = await runCli(['report', 'nope', '-o', 'none.html'], { cwd: dir, env })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('no run matches "nope"')
    expect(existsSync(join(dir, 'none.html'))).toBe(false)
  })

  it.each(['eval.html', 'report.html'])(
    '%s shows the failing cases, samples passed and grades the terminal shows',
    async (name) => {
      const { context, page, requests, dialogs } = await offlinePage(browser)
      try {
        await page.goto(pathToFileURL(join(dir, name)).href)
        const terminal = terminalFailures(runs.b?.stdout ?? '')
        expect(terminal.failing).toEqual(['c1', 'c2'])
        const failing = await attribute(page, '.case[data-status="fail"]', 'data-case')
        expect(failing).toEqual(terminal.failing)
        const passed = await page.locator('[data-field="passed"]').innerText()
        const samples = await attribute(page, '.case .sample', 'data-sample')
        expect(`${passed}/${samples.length}`).toBe(terminal.passed)
        const reasons = await page.locator('.case[data-status="fail"] .reason').allInnerTexts()
        for (const reason of reasons) expect(runs.b?.stdout).toContain(reason)
        expect(reasons).toHaveLength(2)
        await expect(page.locator('.case[data-case="c1"] .output').innerText()).resolves.toBe(
          'needs <b>work</b> on 1',
        )
        expect({ requests, dialogs }).toEqual({ requests: [], dialogs: [] })
      } finally {
        await context.close()
      }
    },
    60_000,
  )

  it.each(['report.html', 'ci.html'])(
    '%s shows the changed cases `shipgate compare` lists, outputs side by side',
    async (name) => {
      const { context, page, requests } = await offlinePage(browser)
      try {
        await page.goto(pathToFileURL(join(dir, name)).href)
        for (const change of ['broken', 'fixed', 'flaky']) {
          const ids = await attribute(page, `[data-change="${change}"]`, 'data-case')
          expect(ids, change).toEqual(terminalChanges(runs.compare?.stdout ?? '', change))
        }
        expect(await attribute(page, '[data-change="broken"]', 'data-case')).toEqual(['c1', 'c2'])
        expect(await attribute(page, '[data-change="fixed"]', 'data-case')).toEqual(['c4'])
        const sides = page.locator('[data-change="fixed"][data-case="c4"] .output')
        await expect(sides.allInnerTexts()).resolves.toEqual(['needs <b>work</b> on 4', 'LGTM'])
        expect(requests).toEqual([])
      } finally {
        await context.close()
      }
    },
    60_000,
  )
})
