import { appendFile, stat } from 'node:fs/promises'
import type { GateVerdict } from '../contracts/gate.js'
import type { ResultsDocument } from '../contracts/results.js'
import { bytes, renderGateReport } from './gate-report.js'
import { plainText } from '../utils/sanitize.js'
import { oneLine } from './format.js'

/** GitHub shows at most 1 MiB of a step's summary. */
export const JOB_SUMMARY_MAX_BYTES = 1024 * 1024

/** Annotations written at most; GitHub shows only 10 errors per step anyway. */
export const MAX_ANNOTATIONS = 10

/** Options of {@link renderJobSummary}. */
export interface JobSummaryOptions {
  /** Size limit in UTF-8 bytes (default {@link JOB_SUMMARY_MAX_BYTES}). */
  readonly maxBytes?: number
  /** Where the full report is, for the truncation notice. */
  readonly fullReport?: string
  /** The HTML report's address, linked under the verdict. */
  readonly reportUrl?: string
}

/**
 * The job summary: the PR comment's report without its marker, plus every failing case of the
 * run. Kept under `maxBytes` the same way, with a notice when shortened.
 */
export function renderJobSummary(
  verdict: GateVerdict,
  results: ResultsDocument,
  options: JobSummaryOptions = {},
): string {
  return renderGateReport(verdict, results, {
    allFailing: true,
    maxBytes: options.maxBytes ?? JOB_SUMMARY_MAX_BYTES,
    fullReport: options.fullReport ?? 'the results file (`shipgate eval -o results.json`)',
    reportUrl: options.reportUrl,
  })
}

/** Escapes an annotation's message as GitHub's workflow commands require. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** Escapes an annotation property (`file`, `title`): also `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

interface Annotation {
  readonly level: 'error' | 'warning'
  readonly title: string
  readonly message: string
  readonly file?: string
  readonly line?: number
}

/**
 * `::error` workflow commands for the failed checks and the newly failing cases, then
 * `::warning` ones for the warned checks, at most `max` in all, then a `::notice` saying how many
 * were left out. File and line only when the case's source is known.
 */
export function renderAnnotations(verdict: GateVerdict, max = MAX_ANNOTATIONS): string {
  const checks = (level: 'error' | 'warning'): Annotation[] =>
    verdict.checks
      .filter((c) => c.status === (level === 'error' ? 'failed' : 'warned'))
      .map((c) => ({
        level,
        title: `shipgate: ${c.name}${c.suite === undefined ? '' : ` (${c.suite})`}`,
        message: c.message,
      }))
  const all: Annotation[] = [
    ...checks('error'),
    ...verdict.newlyFailing.map((c) => ({
      level: 'error' as const,
      title: `shipgate: ${c.suite} › ${c.caseId} newly failing`,
      message: c.reason,
      ...(c.source === undefined ? {} : { file: c.source.file, line: c.source.line }),
    })),
    ...checks('warning'),
  ]
  const lines = all.slice(0, max).map(command)
  const rest = all.length - lines.length
  if (rest > 0) {
    lines.push(
      `::notice title=shipgate::${rest} more ${rest === 1 ? 'failure was' : 'failures were'} not annotated (at most ${max} are): see the job summary`,
    )
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`
}

function command(a: Annotation): string {
  const props = [
    ...(a.file === undefined ? [] : [`file=${escapeProperty(oneLine(a.file, 400))}`]),
    ...(a.line === undefined ? [] : [`line=${a.line}`]),
    `title=${escapeProperty(oneLine(a.title, 200))}`,
  ]
  return `::${a.level} ${props.join(',')}::${escapeData(plainText(a.message.slice(0, 4000)))}`
}

/** What {@link writeGithubReports} writes with, and the environment it reads. */
export interface GithubReportIO {
  readonly env: Readonly<Record<string, string | undefined>>
  /** Where annotations go: stdout, where the runner reads workflow commands. */
  readonly stdout: (text: string) => void
  /** Appends to a file (default: node:fs). */
  readonly appendFile?: (path: string, text: string) => Promise<void>
  /** The size of a file in bytes, 0 when it does not exist (default: node:fs). */
  readonly fileSize?: (path: string) => Promise<number>
}

/** What {@link writeGithubReports} did. */
export interface GithubReportOutcome {
  /** The job summary file appended to, if any. */
  readonly summaryFile: string | null
  /** Whether annotations were written. */
  readonly annotated: boolean
}

/**
 * Inside GitHub Actions: appends the job summary to `$GITHUB_STEP_SUMMARY` (within what is left
 * of the step's 1 MiB; skipped when less than 4 KiB is left) and, when `GITHUB_ACTIONS` is
 * `true`, writes the annotations to stdout. Outside GitHub Actions it writes nothing.
 */
export async function writeGithubReports(
  verdict: GateVerdict,
  results: ResultsDocument,
  io: GithubReportIO,
  options: Pick<JobSummaryOptions, 'reportUrl'> = {},
): Promise<GithubReportOutcome> {
  const file = io.env.GITHUB_STEP_SUMMARY
  let summaryFile: string | null = null
  if (file !== undefined && file !== '') {
    const used = await (io.fileSize ?? sizeOf)(file)
    const room = JOB_SUMMARY_MAX_BYTES - used - 1
    // Too little room left by earlier steps' writes for even a shortened report: skip it.
    const text =
      room < 4096
        ? ''
        : renderJobSummary(verdict, results, { maxBytes: room, reportUrl: options.reportUrl })
    if (text !== '' && bytes(text) <= room) {
      await (io.appendFile ?? appendFile)(file, `${used > 0 ? '\n' : ''}${text}`)
      summaryFile = file
    }
  }
  const annotated = io.env.GITHUB_ACTIONS === 'true'
  if (annotated) io.stdout(renderAnnotations(verdict))
  return { summaryFile, annotated }
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0
    throw error
  }
}
