// The floor of `bench/experiment-analyze.mjs`, run as its own process: the same events read from
// the same SQLite file with better-sqlite3 alone (one ordered statement, iterated) and folded per
// user into the same per-arm sums (users, and per metric count, Σ, Σ²) with plain Maps. No
// statistics, no config, no CLI: what any tool doing this work must at least spend.
// `node bench/experiment-floor.mjs DB` prints the per-arm totals as JSON.
import Database from 'better-sqlite3'

const db = new Database(process.argv[2], { readonly: true })
const rows = db
  .prepare(
    `SELECT type, variant, user_id, name, value FROM experiment_events
     WHERE experiment = ? AND type IN ('exposure', 'outcome') ORDER BY at, id`,
  )
  .iterate('checkout')
const arms = new Map()
const outcomes = new Map()
for (const row of rows) {
  if (row.type === 'exposure') {
    if (!arms.has(row.user_id)) arms.set(row.user_id, row.variant)
    continue
  }
  let mine = outcomes.get(row.user_id)
  if (mine === undefined) outcomes.set(row.user_id, (mine = new Map()))
  const tally = mine.get(row.name) ?? { n: 0, sum: 0, max: 0 }
  tally.n += 1
  tally.sum += row.value
  tally.max = Math.max(tally.max, row.value)
  mine.set(row.name, tally)
}
const totals = {}
for (const [user, variant] of arms) {
  const arm = (totals[variant] ??= { users: 0, metrics: {} })
  arm.users += 1
  for (const [name, tally] of outcomes.get(user) ?? []) {
    const m = (arm.metrics[name] ??= { count: 0, sum: 0, sumSquares: 0 })
    const value = name === 'task_success' ? Number(tally.max > 0) : tally.sum / tally.n
    m.count += 1
    m.sum += value
    m.sumSquares += value * value
  }
}
db.close()
process.stdout.write(`${JSON.stringify(totals)}\n`)
