import { extname, resolve } from 'node:path'
import type { CheckStatus, GateVerdict } from '../contracts/gate.js'
import type { ResultsDocument } from '../contracts/results.js'
import { environmentError, usageError } from '../errors.js'
import { errorMessage } from '../utils/errors.js'
import { writeFileAtomic } from '../utils/files.js'
import { oneLine, table } from './format.js'
import { renderPrComment } from './pr-comment.js'

const MARK: Record<CheckStatus, string> = {
  passed: 'pass',
  failed: 'FAIL',
  warned: 'WARN',
  approved: 'approved',
  skipped: 'skipped',
}

/** The gate's verdict for the terminal: the checks as a table, newly failing cases, the result. */
export function renderVerdict(verdict: GateVerdict): string {
  const rows = verdict.checks.map((c) => [
    MARK[c.status],
    oneLine(c.name, 60),
    oneLine(c.suite ?? '', 60),
    oneLine(c.message, 140),
  ])
  const out = [table([['status', 'check', 'suite', 'detail'], ...rows]), '']
  if (verdict.newlyFailing.length > 0) {
    out.push('Newly failing (passed in the baseline)')
    for (const c of verdict.newlyFailing.slice(0, 20)) {
      const where = c.source === undefined ? '' : ` (${oneLine(c.source.file)}:${c.source.line})`
      out.push(`  ✗ ${oneLine(c.suite, 60)} › ${oneLine(c.caseId)}${where}: ${oneLine(c.reason)}`)
    }
    if (verdict.newlyFailing.length > 20)
      out.push(`  … and ${verdict.newlyFailing.length - 20} more`)
    out.push('')
  }
  const count = (s: CheckStatus) => verdict.checks.filter((c) => c.status === s).length
  const against = verdict.baseline === null ? 'no baseline' : `baseline ${verdict.baseline.runId}`
  out.push(
    `gate ${verdict.pass ? 'passed' : 'FAILED'}: ${count('failed')} failed,${count('warned') === 0 ? '' : ` ${count('warned')} warned,`} ${count('approved')} approved, ${count('skipped')} skipped, ${count('passed')} passed · run ${verdict.run.id} · ${against}`,
    '',
  )
  return out.join('\n')
}

/** Writes a verdict's `-o` files by extension: `.json` the verdict, `.md` the PR comment. */
export async function writeVerdictFiles(
  paths: readonly string[],
  verdict: GateVerdict,
  results: ResultsDocument,
  cwd: string,
): Promise<void> {
  const texts = paths.map((path) => {
    const ext = extname(path).toLowerCase()
    if (ext === '.json') return { path, text: `${JSON.stringify(verdict, null, 2)}\n` }
    if (ext === '.md') return { path, text: renderPrComment(verdict, results) }
    throw usageError(
      `cannot tell the format of -o ${path}`,
      'use .json (the verdict) or .md (the pull-request comment)',
    )
  })
  for (const { path, text } of texts) {
    await writeFileAtomic(resolve(cwd, path), text).catch((error: unknown) => {
      throw environmentError(`cannot write ${path}: ${errorMessage(error)}`, 'check the path')
    })
  }
}
