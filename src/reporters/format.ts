import type { Estimate, ResultsDocument, SuiteStats } from '../contracts/results.js'

/** `0.92 [0.86, 0.96]`: a value with its interval, in two decimals. */
export function formatEstimate(e: Estimate, digits = 2): string {
  return `${e.value.toFixed(digits)} [${e.lower.toFixed(digits)}, ${e.upper.toFixed(digits)}]`
}

/** USD with enough digits to be meaningful for per-call amounts; `unpriced` for null. */
export function formatUsd(usd: number | null): string {
  if (usd === null) return 'unpriced'
  if (usd === 0) return '$0'
  if (usd >= 1) return `$${usd.toFixed(2)}`
  if (usd >= 0.01) return `$${usd.toFixed(4)}`
  return `$${usd.toPrecision(2)}`
}

/**
 * A run's cost, marked when answers were replayed from cassettes: `$0.0024 (replayed: $0 spent)`
 * when every sample was, `$0.0024 ($0.0012 of it replayed, not spent)` when some were.
 */
export function formatRunCost(summary: ResultsDocument['summary']): string {
  const cost = formatUsd(summary.costUsd)
  const replayed = summary.replayed
  if (replayed === undefined) return cost
  if (replayed.samples >= summary.samples) return `${cost} (replayed: $0 spent)`
  return `${cost} (${formatUsd(replayed.costUsd)} of it replayed, not spent)`
}

/** `850 ms`, `12.3 s`; `-` for null. */
export function formatMs(ms: number | null): string {
  if (ms === null) return '-'
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`
}

/** Pads cells into aligned columns; the first row is the header. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = []
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)))
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

/** Untrusted text as one safe line (see utils/sanitize): every reporter shows ids and reasons so. */
export { oneLine } from '../utils/sanitize.js'

/**
 * What a suite measured beyond its pass rate, one line each: pass@k and pass^k with flaky
 * cases, each metric's mean with its interval, and what the judges cost.
 */
export function suiteDetails(stats: SuiteStats): string[] {
  const lines: string[] = []
  const repeats: string[] = []
  if (stats.passAtK !== null) {
    const { k } = stats.passAtK
    repeats.push(
      `pass@${k} ${formatEstimate(stats.passAtK.passAtK)}`,
      `pass^${k} ${formatEstimate(stats.passAtK.passHatK)}`,
    )
  }
  if (stats.flaky > 0) repeats.push(`${stats.flaky} flaky case${stats.flaky === 1 ? '' : 's'}`)
  if (repeats.length > 0) lines.push(repeats.join(' · '))
  const metrics = Object.entries(stats.metrics).map(
    ([name, m]) => `${name} ${formatEstimate(m.mean, metricDigits(m.mean))}`,
  )
  if (metrics.length > 0) lines.push(metrics.join(' · '))
  if (stats.judge.calls > 0) {
    lines.push(
      `judge: ${stats.judge.calls} call${stats.judge.calls === 1 ? '' : 's'}, ${formatUsd(stats.judge.costUsd)}${stats.judge.unpriced > 0 ? ` (${stats.judge.unpriced} unpriced)` : ''}`,
    )
  }
  return lines
}

/** One decimal for measures on a wide scale (g-eval's 1–10), two for 0–1 ones. */
function metricDigits(e: Estimate): number {
  return Math.abs(e.value) > 1.5 ? 1 : 2
}
