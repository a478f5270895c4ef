import type { ScanReport } from '../contracts/scan.js'

/**
 * The scan for a terminal: a line per finding, `file:line:col  rule  masked-secret  fingerprint`
 * (columns aligned), then one summary line.
 */
export function renderScan(report: ScanReport): string {
  const rows = report.findings.map((f) => [
    `${f.file}:${f.line}:${f.column}`,
    f.rule,
    f.masked,
    f.fingerprint,
  ])
  const widths = [0, 1, 2].map((i) => Math.max(0, ...rows.map((r) => (r[i] ?? '').length)))
  const lines = rows.map((r) =>
    r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i] ?? 0) : cell)).join('  '),
  )
  return [...lines, summaryLine(report)].map((l) => `${l}\n`).join('')
}

/** "scanned 120 files: 2 findings, 1 suppressed (1 ignored, 0 baselined), 3 skipped". */
export function summaryLine(report: ScanReport): string {
  const suppressed = report.ignored + report.baselined
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`
  const large = report.skipped.filter((s) => s.reason === 'too-large').length
  const skipped =
    report.skipped.length === 0
      ? '0 skipped'
      : `${report.skipped.length} skipped (${report.skipped.length - large} binary or unreadable, ${large} over 2 MB)`
  return `scanned ${plural(report.filesScanned, 'file')}: ${plural(report.findings.length, 'finding')}, ${suppressed} suppressed (${report.ignored} ignored, ${report.baselined} baselined), ${skipped}`
}
