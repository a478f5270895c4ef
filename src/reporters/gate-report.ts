import type { GateVerdict } from '../contracts/gate.js'
import type { ResultsDocument } from '../contracts/results.js'
import {
  CHECKS_HEADER,
  DELTAS_HEADER,
  checkRows,
  deltaRows,
  failingItems,
  footerLine,
  newlyFailingItems,
  plural,
  runSummaryLine,
  verdictLines,
} from './gate-sections.js'
import { variantTables } from './markdown.js'

/** How a gate report is laid out and how big it may get. */
export interface GateReportOptions {
  /** Lines before the heading (the PR comment's hidden marker). */
  readonly preamble?: readonly string[]
  /** Also list every failing case of the current run (the job summary). */
  readonly allFailing?: boolean
  /** Newly failing cases listed at most, before any size limit applies. */
  readonly maxNewlyFailing?: number
  /** Hard limit on the report's size in UTF-8 bytes. */
  readonly maxBytes: number
  /** Where the full report is, for the truncation notice, e.g. "the job summary". */
  readonly fullReport: string
  /** The HTML report's address (a CI artifact, a published page), linked under the verdict. */
  readonly reportUrl?: string
}

/** The report's lists and tables, each with how many of its entries are shown. */
interface Parts {
  readonly checks: readonly string[]
  readonly deltas: readonly string[] | null
  readonly newly: readonly string[]
  readonly failing: readonly string[]
}

type Shown = Record<keyof Parts, number>

/**
 * Renders a gate report within `maxBytes`. When the whole report is too long, the lists go first
 * (the current run's failing cases, then the newly failing ones, down to their count alone),
 * then table rows (checks, failed ones last, then baseline comparisons), and a visible notice
 * says what was left out and where the full report is.
 */
export function renderGateReport(
  verdict: GateVerdict,
  results: ResultsDocument,
  options: GateReportOptions,
): string {
  const parts: Parts = {
    checks: checkRows(verdict),
    deltas: verdict.baseline === null ? null : deltaRows(verdict),
    newly: newlyFailingItems(verdict).slice(0, options.maxNewlyFailing),
    failing: options.allFailing === true ? failingItems(results) : [],
  }
  const render = (shown: Shown): string => layout(verdict, results, parts, shown, options)
  const shown: Shown = {
    checks: parts.checks.length,
    deltas: parts.deltas?.length ?? 0,
    newly: parts.newly.length,
    failing: parts.failing.length,
  }
  const fits = (s: Shown): boolean => bytes(render(s)) <= options.maxBytes
  for (const key of ['failing', 'newly', 'checks', 'deltas'] as const) {
    if (fits(shown)) return render(shown)
    shown[key] = largest(shown[key], (n) => fits({ ...shown, [key]: n }))
  }
  const text = render(shown)
  return bytes(text) <= options.maxBytes ? text : cutBytes(text, options.maxBytes)
}

function layout(
  verdict: GateVerdict,
  results: ResultsDocument,
  parts: Parts,
  shown: Shown,
  options: GateReportOptions,
): string {
  const newlyTotal = verdict.newlyFailing.length
  const lines = [...(options.preamble ?? []), ...verdictLines(verdict), '']
  if (options.reportUrl !== undefined) lines.push(reportLink(options.reportUrl), '')
  const notice = truncationNotice(parts, shown, options.fullReport)
  if (notice !== null) lines.push(notice, '')
  lines.push(...table(CHECKS_HEADER, parts.checks, shown.checks, 'check'))
  // A row per variant: small beside the lists, so never shortened.
  lines.push(...variantTables(results.suites))
  lines.push('### Compared with the baseline', '')
  if (parts.deltas === null) lines.push('no baseline: comparisons skipped', '')
  else if (parts.deltas.length === 0) lines.push('no suite in common with the baseline', '')
  else lines.push(...table(DELTAS_HEADER, parts.deltas, shown.deltas, 'suite'))
  const newly = plural(newlyTotal, 'newly failing case')
  const full = options.fullReport
  lines.push(
    ...details(`${newly} (passed in the baseline)`, parts.newly, shown.newly, newlyTotal, full),
  )
  const failingTotal = parts.failing.length
  const failing = `${plural(failingTotal, 'failing case')} in this run`
  lines.push(...details(failing, parts.failing, shown.failing, failingTotal, full))
  lines.push(runSummaryLine(results), '', footerLine(verdict, results), '')
  return lines.join('\n')
}

/** A collapsed list; its count alone when no entry is shown; nothing when there is none. */
function details(
  summary: string,
  items: readonly string[],
  shown: number,
  total: number,
  fullReport: string,
): string[] {
  if (total === 0) return []
  if (shown === 0) return [`**${summary}**: listed in ${fullReport}.`, '']
  const rest = total - shown
  return [
    '<details>',
    `<summary>${summary}</summary>`,
    '',
    ...items.slice(0, shown),
    ...(rest > 0 ? [`- … and ${rest} more: see ${fullReport}`] : []),
    '',
    '</details>',
    '',
  ]
}

/** A table's first `shown` rows, and how many more were left out; nothing when it has none. */
function table(header: readonly string[], rows: readonly string[], shown: number, what: string) {
  if (rows.length === 0) return []
  const rest = rows.length - shown
  const note = rest > 0 ? [`_… ${plural(rest, `more ${what}`)}, left out for size_`, ''] : []
  return [...(shown > 0 ? [...header, ...rows.slice(0, shown), ''] : []), ...note]
}

function truncationNotice(parts: Parts, shown: Shown, fullReport: string): string | null {
  const left = [
    [parts.failing.length - shown.failing, 'failing case'],
    [parts.newly.length - shown.newly, 'newly failing case'],
    [(parts.deltas?.length ?? 0) - shown.deltas, 'suite comparison'],
    [parts.checks.length - shown.checks, 'check'],
  ] as const
  const cut = left.filter(([n]) => n > 0).map(([n, what]) => plural(n, what))
  if (cut.length === 0) return null
  return `> [!WARNING]\n> Shortened to fit GitHub's size limit: ${cut.join(', ')} left out. The full report is in ${fullReport}.`
}

/** The largest n in [0, max] for which `fits(n)` holds (assumed monotone); 0 when none does. */
function largest(max: number, fits: (n: number) => boolean): number {
  let lo = 0
  let hi = max
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (fits(mid)) lo = mid
    else hi = mid - 1
  }
  return lo
}

/** Size in UTF-8 bytes. */
export function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

/** The longest prefix of `text` within `max` UTF-8 bytes, never splitting a character. */
function cutBytes(text: string, max: number): string {
  const buf = Buffer.from(text, 'utf8')
  let end = Math.max(0, max)
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end -= 1
  return buf.subarray(0, end).toString('utf8')
}

/** The link to the HTML report; parentheses and spaces in the address are escaped for markdown. */
function reportLink(url: string): string {
  const href = url.replace(
    /[()\s<>]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  )
  return `📄 [The HTML report](${href}): every case, sample and grade, and what changed against the baseline, side by side.`
}
