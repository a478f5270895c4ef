import type { Estimate } from '../contracts/results.js'

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

/**
 * One line, at most `max` characters: newlines shown as ⏎, and control characters (which in
 * untrusted model output could drive the terminal) shown as �.
 */
export function oneLine(text: string, max = 120): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/\r?\n/g, ' ⏎ ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '\ufffd')
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}
