// `npm run demo`: the example project's pipeline on embedded defaults — scripted model replies,
// the SQLite store, no keys, no network. Each stage is a shipgate command, as CI would run it.
import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
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

for (const [i, stage] of stages.entries()) {
  process.stderr.write(
    `\n━━ ${i + 1}/${stages.length} ${stage.title}\n$ shipgate ${stage.args.join(' ')}\n\n`,
  )
  const result = spawnSync(process.execPath, [`${root}/bin/shipgate.js`, ...stage.args], {
    cwd: project,
    stdio: 'inherit',
  })
  if (result.status !== 0) {
    process.stderr.write(`\ndemo: stage ${i + 1} exited ${result.status}\n`)
    process.exit(result.status ?? 1)
  }
}
process.stderr.write(
  `\nDemo done. Reports: examples/code-review/${out}/ (results.json, junit.xml, summary.md, verdict.json, pr-comment.md)\n`,
)
