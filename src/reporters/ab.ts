/**
 * `shipgate ab` for people: what was compared, the paired metrics, the pairwise preference, the
 * cost guardrail, the decision, the plan.
 */
import type { AbMetricRow, AbPairwiseView, AbReport, AbSide } from '../contracts/ab.js'
import { formatEstimate, formatUsd, table } from './format.js'

/** The report as terminal text. */
export function renderAb(report: AbReport): string {
  const lines = [`${heading(report.a, report.b)}: ${report.cases} cases paired`]
  const left = report.onlyA.length + report.onlyB.length
  if (left > 0) {
    lines.push(`left out: ${report.onlyA.length} cases only in A, ${report.onlyB.length} only in B`)
  }
  lines.push(
    '',
    table([['metric', 'cases', 'A', 'B', 'B - A [95%]', 'p', 'test'], ...report.metrics.map(row)]),
  )
  if (report.pairwise !== null) lines.push('', ...pairwiseLines(report.pairwise))
  if (report.cost !== null) {
    const guard = report.costGuardrail
    lines.push(
      '',
      `cost per sample: A ${formatUsd(report.cost.meanA)}, B ${formatUsd(report.cost.meanB)}` +
        (guard === null
          ? ''
          : `; guardrail ${guard.ratio.toFixed(2)} × ≤ ${guard.margin} × (p ${formatP(guard.pValue)}): ${guard.pass ? 'passed' : 'not shown'}`),
    )
  }
  const d = report.decision
  const verdict =
    d.verdict === 'winner'
      ? `winner: ${d.winner ?? '?'} on ${d.primary}`
      : d.verdict === 'blocked'
        ? 'no winner: blocked'
        : `no detectable difference in ${d.primary}`
  lines.push('', verdict)
  for (const reason of d.reasons) lines.push(`  ${reason}`)
  lines.push(`  smallest effect these ${report.cases} cases detect (80% power): ${signed(d.mde)}`)
  if (d.casesNeeded !== undefined)
    lines.push(`  cases needed for the effect asked: ${d.casesNeeded}`)
  if (report.plan !== null) {
    const p = report.plan
    lines.push(
      '',
      `plan for ${signed(p.effect)} in ${p.metric} at ${Math.round(p.power * 100)}% power, from this run's variance:`,
      table([
        ['repeats', 'cases', 'samples'],
        ...p.options.map((o) => [String(o.repeats), String(o.cases), String(o.samples)]),
      ]),
      `recommended: ${p.recommended.cases} cases × ${p.recommended.repeats}${p.reachable ? '' : ` (more cases than the ${report.cases} compared here)`}`,
    )
  }
  return lines.join('\n') + '\n'
}

/** Which runs, or which variants of which run, and their suites. */
function heading(a: AbSide, b: AbSide): string {
  if (a.variant === undefined || b.variant === undefined)
    return `A ${a.run} (${a.ref}) against B ${b.run} (${b.ref})`
  return `run ${a.run} (${a.ref}): variant A ${a.variant} against B ${b.variant}`
}

function pairwiseLines(p: AbPairwiseView): string[] {
  const share = formatEstimate(p.share, 3)
  const lines = [
    `pairwise preference (${p.judge}, both orders${p.criteria === null ? '' : `, by: ${p.criteria}`}): B preferred in ${share} of ${p.cases} cases`,
    `  B better ${p.wins}, A better ${p.losses}, tie or order-dependent ${p.ties}; sign test p ${formatP(p.pValue)} (ties excluded)`,
    `  judge calls ${p.calls}, cost ${p.costUsd === null ? 'unknown' : formatUsd(p.costUsd)}`,
  ]
  if (p.failed > 0) {
    lines.push(`  left out: ${p.failed} cases whose judge call failed`)
    for (const e of p.errors) lines.push(`    ${e}`)
  }
  return lines
}

function row(metric: AbMetricRow): string[] {
  const digits = metric.metric === 'latency (ms)' ? 0 : 3
  const check =
    metric.check === undefined ? '' : `; ${metric.check.test} p ${formatP(metric.check.pValue)}`
  return [
    metric.metric,
    String(metric.cases),
    metric.meanA.toFixed(digits),
    metric.meanB.toFixed(digits),
    formatEstimate(metric.difference, digits),
    formatP(metric.pValue),
    `${metric.test}${check}`,
  ]
}

function formatP(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toFixed(3)
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(3)}`
}
