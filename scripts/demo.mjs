// `npm run demo`: the example project's pipeline on embedded defaults — scripted model replies,
// the SQLite store, no keys, no network. Each stage is a shipgate command, as CI would run it:
// the CI half (eval, an A/B of two models, gate, compare, cost), then the CD half on the local target (release,
// deploy, smoke, monitor under a bounded loopback load, a bad release rolled back twice: all at
// once, then as a 5% canary — and how many requests it served each way — and the alerts).
import { spawn } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { createServer } from 'node:http'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const project = fileURLToPath(new URL('../examples/code-review/', import.meta.url))
const out = '.shipgate/demo'
mkdirSync(new URL(`../examples/code-review/${out}`, import.meta.url), { recursive: true })

const stages = [
  {
    title: 'Eval: every suite, 3 samples per golden case, reports written',
    args: [
      'eval',
      '-o',
      `${out}/results.json`,
      '-o',
      `${out}/junit.xml`,
      '-o',
      `${out}/summary.md`,
    ],
  },
  {
    title:
      "A/B in that run: the reviewer on haiku and on sonnet (a suite's variants), paired by case, with the cost guardrail",
    args: ['ab', 'haiku', 'sonnet', '--variants', '--run', `${out}/results.json`],
  },
  {
    title: 'Eval: only the critical paths (seed §1.2: limit integration tests)',
    args: ['eval', '--tag', 'critical'],
  },
  {
    title: 'Runs recorded in the store (.shipgate/shipgate.db)',
    args: ['runs', 'list', '--limit', '5'],
  },
  { title: 'The latest run, read back from the store', args: ['runs', 'show', 'latest'] },
  {
    title:
      'A pull request: a pricier model for the reviewer; eval + gate against the first run, the cost rise approved',
    args: [
      'ci',
      '--no-progress',
      '--baseline',
      `${out}/results.json`,
      '--provider',
      'reviewer.model=claude-3-5-sonnet-20241022',
      '--approve',
      'cost',
      '--verdict',
      `${out}/verdict.json`,
      '--comment',
      `${out}/pr-comment.md`,
      '-o',
      `${out}/report.html`,
    ],
  },
  {
    title: 'What changed, case by case, against the first run',
    args: ['compare', `${out}/results.json`, 'latest'],
  },
  {
    title: 'Cost against the first run, projected per day in production (seed §2.3)',
    args: ['cost', '--baseline', `${out}/results.json`],
  },
]

// The CD half keeps its releases and deployments in a store of its own, new each time, so the
// demo tells the same story however often it runs.
const cdStore = `${out}/cd.db`
rmSync(new URL(`../examples/code-review/${cdStore}`, import.meta.url), { force: true })
const cdEnv = { SHIPGATE_DATABASE_URL: cdStore, DEMO_WEBHOOK_SECRET: 'demo-signing-key' }
// The example deploys by canary; the all-at-once deploy it is compared with reads a copy of its
// config that says `strategy: replace`, next to it (paths and the target's state are relative to
// the config's folder), removed when the demo ends.
const allAtOnce = 'shipgate.all-at-once.yaml'
writeAllAtOnceConfig()
const proxy = 'http://127.0.0.1:8787'

stages.push(
  {
    title: 'Release: code commit + prompt versions + models + config, as one versioned unit',
    args: ['release', 'create', '--name', 'v1.0.0'],
    env: cdEnv,
  },
  {
    title:
      'Deploy v1.0.0 on the local target: verify, plan, apply, canary (a first release takes all the traffic), healthy, smoke, monitor (under load)',
    args: ['deploy', 'local', '--interval', '2s', '--duration', '4s'],
    env: cdEnv,
    load: true,
  },
  { title: 'Smoke tests against the running service', args: ['smoke', 'local'], env: cdEnv },
  {
    title: 'A bad release: the same service with 20% of requests failing',
    args: ['release', 'create', '--name', 'v1.1.0-bad', '--env', 'FAULT_ERROR_RATE=0.2'],
    env: cdEnv,
  },
  {
    title:
      'Deploy it all at once (rollout.strategy: replace): the monitor fails it, the deploy rolls back to v1.0.0 and alerts',
    args: ['deploy', 'local', '-c', allAtOnce, '--interval', '2s', '--duration', '6s'],
    env: cdEnv,
    load: true,
    served: 'all at once',
    expect: 1,
  },
  {
    title:
      'Deploy it again as a canary (rollout: in the example config): 5% of the traffic, judged against v1.0.0 every 2 s, aborted at its first step and rolled back',
    args: ['deploy', 'local'],
    env: cdEnv,
    load: true,
    served: 'as a 5% canary',
    expect: 1,
  },
  { title: 'v1.0.0 serves again (/health via the proxy)', fetch: `${proxy}/health` },
  { title: 'Stop the local target', args: ['target', 'stop', 'local'], env: cdEnv },
)

const alerts = await startCatcher()
/** Per deploy of the bad release: the load's requests, and how many the bad release answered. */
const served = []
let failed = false
try {
  for (const [i, stage] of stages.entries()) {
    const shown =
      stage.fetch === undefined ? `$ shipgate ${stage.args.join(' ')}` : `$ curl ${stage.fetch}`
    process.stderr.write(`\n━━ ${i + 1}/${stages.length} ${stage.title}\n${shown}\n\n`)
    const code = await runStage(stage)
    if (code !== (stage.expect ?? 0)) {
      process.stderr.write(`\ndemo: stage ${i + 1} exited ${code}, expected ${stage.expect ?? 0}\n`)
      failed = true
      break
    }
  }
} finally {
  if (failed) await runStage({ args: ['target', 'stop', 'local'], env: cdEnv })
  rmSync(`${project}${allAtOnce}`, { force: true })
  await new Promise((resolve) => alerts.server.close(resolve))
}
if (failed) process.exit(1)
process.stderr.write(
  `\n━━ Requests the bad release served before it was rolled back (the load's own count, by the proxy's x-shipgate-release)\n`,
)
for (const s of served) {
  process.stderr.write(`  ${s.how.padEnd(16)} ${String(s.bad).padStart(5)} of ${s.sent} requests\n`)
}
process.stderr.write(`\n━━ Alerts the webhook catcher received (signature checked)\n`)
for (const alert of alerts.received) process.stderr.write(`  ${alert}\n`)
process.stderr.write(
  `\nDemo done. Reports: examples/code-review/${out}/ (results.json, junit.xml, summary.md, verdict.json, pr-comment.md, report.html: the pull request's run against the first, to open in a browser)\n` +
    'Browse every stored run: cd examples/code-review && node ../../bin/shipgate.js view\n',
)

/** Runs one stage (a shipgate command, optionally under load, or a GET); resolves its exit code. */
async function runStage(stage) {
  if (stage.fetch !== undefined) {
    const answer = await fetch(stage.fetch).then((r) => r.text())
    process.stdout.write(`${answer}\n`)
    return 0
  }
  const stable = stage.served === undefined ? undefined : await servingRelease()
  const load = stage.load === true ? startLoad(proxy) : undefined
  const child = spawn(process.execPath, [`${root}/bin/shipgate.js`, ...stage.args], {
    cwd: project,
    stdio: 'inherit',
    env: { ...process.env, ...stage.env },
  })
  // A deploy that hangs fails the demo (CI runs it) instead of holding it up.
  const guard = setTimeout(() => child.kill('SIGINT'), 90_000)
  const code = await new Promise((resolve) => child.once('exit', (c) => resolve(c ?? 1)))
  clearTimeout(guard)
  if (load === undefined) return code
  const sent = await load.stop()
  process.stderr.write(`  (load: ${sent} requests)\n`)
  if (stage.served !== undefined) {
    const bad = Object.entries(load.byRelease())
      .filter(([release]) => release !== stable)
      .reduce((sum, [, n]) => sum + n, 0)
    served.push({ how: stage.served, bad, sent })
  }
  return code
}

/** Writes the example's config with `rollout.strategy: replace` beside it. */
function writeAllAtOnceConfig() {
  const config = readFileSync(`${project}shipgate.yaml`, 'utf8')
  const replaced = config.replace(/^( {2}strategy:) canary$/m, '$1 replace')
  if (replaced === config) throw new Error('demo: no `strategy: canary` in the example config')
  writeFileSync(`${project}${allAtOnce}`, replaced)
}

/** The release `/health` names through the proxy. */
async function servingRelease() {
  return (await fetch(`${proxy}/health`).then((r) => r.json())).release
}

/**
 * Four loops of POST /agent/query for rotating users, 20 ms apart, until stopped; counts the
 * answers by the release the proxy names in `x-shipgate-release`.
 */
function startLoad(url) {
  let running = true
  let sent = 0
  const byRelease = {}
  const loop = async (worker) => {
    for (let i = 0; running; i++) {
      const user = `demo-${worker}-${i % 100}`
      await fetch(`${url}/agent/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-user-id': user },
        body: JSON.stringify({ query: 'Review this diff for SQL injection', user_id: user }),
      })
        .then((r) => {
          const release = r.headers.get('x-shipgate-release')
          if (release !== null) byRelease[release] = (byRelease[release] ?? 0) + 1
          return r.arrayBuffer()
        })
        .catch(() => undefined)
      sent++
      await new Promise((r) => setTimeout(r, 20))
    }
  }
  const loops = [0, 1, 2, 3].map(loop)
  return {
    async stop() {
      running = false
      await Promise.all(loops)
      return sent
    },
    byRelease: () => ({ ...byRelease }),
  }
}

/** The demo's alert receiver on 127.0.0.1:8788: checks each signature, keeps a line per alert. */
async function startCatcher() {
  const received = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      const stamp = req.headers['x-shipgate-timestamp']
      const expected = `sha256=${createHmac('sha256', cdEnv.DEMO_WEBHOOK_SECRET).update(`${stamp}.${body}`).digest('hex')}`
      const event = JSON.parse(body)
      const signed = req.headers['x-shipgate-signature'] === expected ? 'signed ✓' : 'BAD SIGNATURE'
      received.push(`[${signed}] ${event.type} (${event.severity}): ${event.summary}`)
      res.writeHead(200).end('ok')
    })
  })
  await new Promise((resolve) => server.listen(8788, '127.0.0.1', resolve))
  return { server, received }
}
