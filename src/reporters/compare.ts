import type { BillRow, CiBill, Comparison, CostReport } from '../contracts/compare.js'
import type { Estimate } from '../contracts/results.js'
import { formatUsd, oneLine, table } from './format.js'

const signed = (v: number, digits = 3) => `${v >= 0 ? '+' : ''}${v.toFixed(digits)}`
const pct = (v: number | null) => (v === null ? '-' : `${v >= 0 ? '+' : ''}${v.toFixed(1)}%`)
const delta = (e: Estimate) => `${signed(e.value)} [${signed(e.lower)}, ${signed(e.upper)}]`

/** `shipgate compare` for the terminal: per suite deltas with intervals, then changed cases. */
export function renderComparison(c: Comparison): string {
  const out: string[] = [`B ${c.b.id} against A ${c.a.id}`, '']
  const rows = c.suites.map((s) => {
    const count = (what: string) => s.cases.filter((x) => x.change === what).length
    return [
      s.suite,
      String(s.delta.pairedCases),
      `${s.delta.passRate.baseline.toFixed(3)} → ${s.delta.passRate.current.toFixed(3)}`,
      delta(s.delta.passRate.difference),
      s.delta.passRate.pValue < 0.001
        ? s.delta.passRate.pValue.toExponential(1)
        : s.delta.passRate.pValue.toFixed(3),
      delta(s.delta.score.difference),
      pct(s.delta.costPerCase.changePct),
      pct(s.delta.latencyP95.changePct),
      `${count('fixed')}/${count('broken')}/${count('flaky')}/${count('unchanged')}`,
    ]
  })
  out.push(
    table([
      [
        'suite',
        'paired',
        'pass rate',
        'Δ pass rate [95% CI]',
        'McNemar p',
        'Δ score [95% CI]',
        'cost/case',
        'p95',
        'fixed/broken/flaky/same',
      ],
      ...rows,
    ]),
    '',
  )
  for (const s of c.suites) {
    for (const what of ['broken', 'fixed', 'flaky'] as const) {
      const cases = s.cases.filter((x) => x.change === what)
      if (cases.length === 0) continue
      out.push(`${what} in ${s.suite}:`)
      for (const x of cases.slice(0, 20))
        out.push(`  ${oneLine(x.id)}  ${x.before.toFixed(2)} → ${x.after.toFixed(2)}`)
      if (cases.length > 20) out.push(`  … and ${cases.length - 20} more`)
    }
    if (s.added.length > 0) out.push(`only in B (${s.suite}): ${ids(s.added)}`)
    if (s.removed.length > 0) out.push(`only in A (${s.suite}): ${ids(s.removed)}`)
  }
  if (c.onlyInA.length > 0) out.push(`suites only in A: ${c.onlyInA.join(', ')}`)
  if (c.onlyInB.length > 0) out.push(`suites only in B: ${c.onlyInB.join(', ')}`)
  out.push(
    `cost ${formatUsd(c.a.costUsd)} → ${formatUsd(c.b.costUsd)} (${pct(c.costChangePct)})`,
    '',
  )
  return out.join('\n')
}

/** `shipgate cost` for the terminal (seed §2.3). */
export function renderCost(r: CostReport): string {
  const out: string[] = [
    r.baseline === null
      ? `run ${r.run} (${r.why ?? 'no baseline'})`
      : `run ${r.run} against baseline ${r.baseline}`,
    '',
    table([
      ['suite', 'baseline / case', 'current / case', 'change'],
      ...r.suites.map((s) => [
        s.suite,
        formatUsd(s.baselinePerCase),
        formatUsd(s.currentPerCase),
        pct(s.changePct),
      ]),
      ['all', formatUsd(r.perCase.baseline), formatUsd(r.perCase.current), pct(r.changePct)],
    ]),
    '',
    `total per run: ${formatUsd(r.total.baseline)} → ${formatUsd(r.total.current)}`,
  ]
  if (r.projection === null) {
    out.push(
      'projection: set traffic.requestsPerDay in shipgate.yaml for a daily production estimate',
    )
  } else {
    const { requestsPerDay, baselinePerDay, currentPerDay } = r.projection
    const diff =
      baselinePerDay === null || currentPerDay === null
        ? ''
        : ` (${currentPerDay >= baselinePerDay ? '+' : '−'}${formatUsd(Math.abs(currentPerDay - baselinePerDay))} a day)`
    out.push(
      `projected in production at ${requestsPerDay.toLocaleString('en-US')} requests a day: ${formatUsd(baselinePerDay)} → ${formatUsd(currentPerDay)} a day${diff}`,
    )
  }
  out.push('')
  return out.join('\n')
}

/** Case ids (untrusted: they come from case files) as one safe line. */
function ids(list: readonly string[]): string {
  return oneLine(list.join(', '), 400)
}

/** `shipgate cost --by`: the CI bill, a row per month or branch and the total. */
export function renderBill(bill: CiBill): string {
  const since = bill.since === null ? '' : ` since ${bill.since.slice(0, 10)}`
  if (bill.total.runs === 0) return `no stored runs${since}: nothing spent\n`
  const cells = (r: BillRow): string[] => [
    oneLine(r.key),
    String(r.runs),
    formatUsd(r.spentUsd),
    formatUsd(r.modelUsd),
    formatUsd(r.judgeUsd),
    formatUsd(r.replayedUsd),
    r.unpriced === 0 ? '' : String(r.unpriced),
  ]
  const head = [bill.by, 'runs', 'spent', 'models', 'judges', 'replayed (not spent)', 'unpriced']
  return `CI spend by ${bill.by}${since}\n\n${table([head, ...bill.rows.map(cells), cells(bill.total)])}\n`
}
