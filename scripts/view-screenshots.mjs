// The screenshots in docs/view.md: `npm run demo`, then `node scripts/view-screenshots.mjs`.
// A store in a temp dir gets 120 runs shaped like a busy team's (bench/view-data.mjs: two
// suites, judged samples, a regression on some branches, a 300-case run last) and the demo's
// releases and deployments (its canary deploys, the aborted one and its rollback); `shipgate
// view` serves it, and Debian's Chromium takes each page.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { copyStore, startViewer } from '../dist/index.js'
import { openStore } from '../dist/stores/index.js'
import { fillViewStore } from '../bench/view-data.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const demo = join(root, 'examples/code-review/.shipgate')
const out = join(root, 'docs/images')
for (const file of ['demo/cd.db']) {
  if (!existsSync(join(demo, file))) {
    console.error(`no ${join(demo, file)}: run \`npm run demo\` first`)
    process.exit(2)
  }
}

const dir = mkdtempSync(join(tmpdir(), 'shipgate-view-shots-'))
const location = join(dir, 'view.db')
try {
  const filling = await openStore(location, dir)
  const { bigRunId } = await fillViewStore(filling, { runs: 120, bigCases: 300 })
  await filling.close()
  await copyStore({ from: join(demo, 'demo/cd.db'), to: location, cwd: dir })
  const store = await openStore(location, dir)
  const viewer = await startViewer({ store, cwd: dir, env: {}, port: 0 })
  const browser = await chromium.launch({
    executablePath: execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim(),
    headless: true,
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  })
  try {
    const canary = (await store.deployments.list({ limit: 50 })).find(
      (d) =>
        d.strategy === 'canary' &&
        d.steps.some((s) => s.name === 'canary' && s.status === 'failed'),
    )
    const release = (await store.releases.list({ limit: 1 }))[0]
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } })
    const shots = [
      ['runs', '/'],
      ['run', `/runs/${bigRunId}`],
      ['compare', `/compare?b=${bigRunId}`],
      ['trends', '/trends?suite=support&runs=120'],
      ['releases', '/releases'],
      ['release', `/releases/${release.id}`],
      ['deployments', '/deployments'],
      ['deployment', `/deployments/${canary?.id ?? ''}`],
    ]
    mkdirSync(out, { recursive: true })
    for (const [name, path] of shots) {
      const response = await page.goto(`${viewer.url}${path}`, { waitUntil: 'load' })
      if (response?.status() !== 200) throw new Error(`${path}: ${response?.status()}`)
      // The charts draw after load.
      if (name === 'trends') await page.waitForSelector('.uplot canvas')
      await page.screenshot({ path: join(out, `view-${name}.png`) })
      console.log(`docs/images/view-${name}.png  ${path}`)
    }
  } finally {
    await browser.close()
    await viewer.close()
    await store.close()
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
