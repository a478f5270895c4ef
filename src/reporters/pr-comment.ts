import type { GateVerdict } from '../contracts/gate.js'
import type { ResultsDocument } from '../contracts/results.js'
import { renderGateReport } from './gate-report.js'

/** The hidden first line that marks shipgate's PR comment, so a later run edits it. */
export const PR_COMMENT_MARKER = '<!-- shipgate:pr-comment -->'

/**
 * GitHub refuses comments over 65,536 characters; 60 KB of UTF-8 stays under that whatever the
 * characters are.
 */
export const PR_COMMENT_MAX_BYTES = 60_000

/** A marker key: letters, digits, `.`, `_` and `-` (nothing that could end the HTML comment). */
const KEY = /^[A-Za-z0-9._-]{1,64}$/

/** Options of {@link renderPrComment}. */
export interface PrCommentOptions {
  /** Tells this comment apart from other configs' comments on the same PR. */
  readonly key?: string
  /** Where the full report is, for the truncation notice (default: "the job summary"). */
  readonly fullReport?: string
  /** Newly failing cases listed at most (default 50). */
  readonly maxNewlyFailing?: number
  /** Size limit in UTF-8 bytes (default {@link PR_COMMENT_MAX_BYTES}). */
  readonly maxBytes?: number
  /** The HTML report's address, linked under the verdict. */
  readonly reportUrl?: string
}

/** Whether `key` can be used in a marker. */
export function isMarkerKey(key: string): boolean {
  return KEY.test(key)
}

/**
 * The marker line: `<!-- shipgate:pr-comment -->`, or `<!-- shipgate:pr-comment:KEY -->` so that
 * several configs can each keep their own comment on one PR. Throws on a key that is not
 * {@link isMarkerKey} (callers validate user input first).
 */
export function prCommentMarker(key?: string): string {
  if (key === undefined) return PR_COMMENT_MARKER
  if (!isMarkerKey(key))
    throw new TypeError(`invalid PR comment marker key: ${JSON.stringify(key)}`)
  return `<!-- shipgate:pr-comment:${key} -->`
}

/**
 * The PR comment of a gate verdict: the marker, the verdict with its check counts, the table of
 * checks, the comparison with the baseline per suite, the newly failing cases (collapsed), the
 * run's summary line and a footer with the run, the commit and the baseline. Always under
 * `maxBytes`: longer reports lose the newly failing details first, then table rows, and say so.
 */
export function renderPrComment(
  verdict: GateVerdict,
  results: ResultsDocument,
  options: PrCommentOptions = {},
): string {
  return renderGateReport(verdict, results, {
    preamble: [prCommentMarker(options.key)],
    maxNewlyFailing: options.maxNewlyFailing ?? 50,
    maxBytes: options.maxBytes ?? PR_COMMENT_MAX_BYTES,
    fullReport: options.fullReport ?? 'the job summary and the results artifact',
    reportUrl: options.reportUrl,
  })
}
