// The viewer at team scale (issue 18), run by bench/run.mjs or alone (`node bench/view.mjs`):
// 10,000 stored runs and 1,000,000 samples in SQLite (bench/view-data.mjs), `shipgate view`'s
// pages opened in Debian's Chromium, timed by the browser's Navigation Timing from navigation
// start to the end of the load event (the page drawn, its deferred scripts run). The floor
// serves the same rows from the same database with node:http and better-sqlite3 alone, as one
// plain table with the same escaping: what any viewer must pay to read and draw them.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { chromium } from 'playwright-core'
import { openStore } from '../dist/stores/index.js'
import { startViewer } from '../dist/index.js'
import { fillViewStore } from './view-data.mjs'

const ROUNDS = 7

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const escape = (text) =>
  String(text).replace(
    /[&<>"'`]/g,
    (c) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' })[c],
  )

/** The floor: one table of the rows a page shows, read with prepared statements. */
async function floorServer(file) {
  const db = new Database(file, { readonly: true })
  const runs = db.prepare(
    'SELECT id, status, started_at, git_branch, git_commit, suites, summary FROM runs ORDER BY started_at DESC, id DESC LIMIT 50',
  )
  const run = db.prepare('SELECT * FROM runs WHERE id = ?')
  const samples = db.prepare(
    'SELECT suite, case_id, sample, output, pass, score, grades, cost_usd, latency_ms FROM case_results WHERE run_id = ? ORDER BY suite, case_id, sample',
  )
  const page = (title, rows) =>
    `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><table>${rows.join('')}</table></body></html>`
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x')
    let html
    if (url.pathname === '/') {
      html = page(
        'runs',
        runs.all().map((r) => {
          const s = r.summary === null ? null : JSON.parse(r.summary)
          const suites = JSON.parse(r.suites).map((x) => x.name)
          return `<tr><td><a href="/runs/${escape(r.id)}">${escape(r.id)}</a></td><td>${escape(r.status)}</td><td>${escape(r.started_at)}</td><td>${escape(r.git_branch ?? '')}</td><td>${escape(r.git_commit ?? '')}</td><td>${escape(suites.join(', '))}</td><td>${s?.passed ?? ''}/${s?.failed ?? ''}</td></tr>`
        }),
      )
    } else {
      const id = decodeURIComponent(url.pathname.slice('/runs/'.length))
      run.get(id)
      // Every sample read and parsed (the page needs each case's status), one page of 50 cases drawn.
      const all = samples.all(id).map((s) => ({ ...s, grades: JSON.parse(s.grades) }))
      html = page(
        id,
        all
          .slice(0, 150)
          .map(
            (s) =>
              `<tr><td>${escape(s.case_id)}</td><td>${s.pass ? 'pass' : 'fail'}</td><td><pre>${escape(s.output ?? '')}</pre></td><td>${s.grades.map((g) => escape(g.reason)).join('<br>')}</td></tr>`,
          ),
      )
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end(html)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: async () => {
      await new Promise((resolve) => server.close(resolve))
      db.close()
    },
  }
}

/** Opens `url` in a fresh page; the Navigation Timing figures of that load, in ms. */
async function load(browser, url) {
  const page = await browser.newPage()
  try {
    const response = await page.goto(url, { waitUntil: 'load' })
    if (response === null || !response.ok()) throw new Error(`${url}: ${response?.status()}`)
    const t = await page.evaluate(() => performance.getEntriesByType('navigation')[0].toJSON())
    return {
      server: t.responseStart - t.requestStart,
      interactive: t.domInteractive,
      loaded: t.loadEventEnd,
      bytes: t.transferSize,
    }
  } finally {
    await page.close()
  }
}

/** The first load (the server's caches cold) and the median of `ROUNDS` later ones. */
async function timePage(browser, url) {
  const cold = await load(browser, url)
  const warm = []
  for (let i = 0; i < ROUNDS; i++) warm.push(await load(browser, url))
  const pick = (key) => median(warm.map((w) => w[key]))
  return {
    cold,
    warm: {
      server: pick('server'),
      interactive: pick('interactive'),
      loaded: pick('loaded'),
      bytes: pick('bytes'),
    },
  }
}

/** Fills a store, then times the pages of the viewer and of the floor. */
export async function viewBench({ runs = 10_000, bigCases = 2_000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-view-bench-'))
  const file = join(dir, 'shipgate.db')
  try {
    const store = await openStore(file, dir)
    const filled = performance.now()
    const { bigRunId, samples } = await fillViewStore(store, { runs, bigCases })
    const fillMs = performance.now() - filled
    const viewer = await startViewer({ store, cwd: dir, env: {}, port: 0 })
    const floor = await floorServer(file)
    const executablePath = execFileSync('sh', ['-c', 'command -v chromium'], {
      encoding: 'utf8',
    }).trim()
    const browser = await chromium.launch({
      executablePath,
      headless: true,
      args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
    })
    try {
      // The browser's own first start is not the viewer's: one page each before timing.
      await load(browser, `${viewer.url}/assets/view.css`)
      await load(browser, `${floor.url}/`)
      // A cursor deep in the list: the 100th page of 50.
      const deep = (await store.runs.list({ limit: 5_000 })).at(-1)
      const older = `${deep.startedAt}~${deep.id}`
      return {
        runs,
        bigCases,
        samples,
        fillMs,
        pages: {
          runs: await timePage(browser, `${viewer.url}/`),
          runsBranch: await timePage(
            browser,
            `${viewer.url}/?branch=fix%2Frefunds&status=completed`,
          ),
          runsDeep: await timePage(browser, `${viewer.url}/?older=${encodeURIComponent(older)}`),
          run: await timePage(browser, `${viewer.url}/runs/${bigRunId}`),
          runFailing: await timePage(browser, `${viewer.url}/runs/${bigRunId}?status=fail`),
        },
        floor: {
          runs: await timePage(browser, `${floor.url}/`),
          run: await timePage(browser, `${floor.url}/runs/${bigRunId}`),
        },
      }
    } finally {
      await browser.close()
      await floor.close()
      await viewer.close()
      await store.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await viewBench(), null, 2))
}
