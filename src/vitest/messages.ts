import type { AssertionSpec } from '../contracts/assertion.js'
import type { AssertionGrade } from '../contracts/results.js'
import type { SampleVerdict, SuiteCase } from '../workflows/grade/index.js'

/** Characters of the output a failure message quotes. */
const QUOTED = 400

/** `type: reason (score 0.42, threshold 0.7)` of one graded assertion. */
export function gradeLine(grade: AssertionGrade, threshold?: number): string {
  const parts = [`score ${round(grade.score)}`]
  if (threshold !== undefined) parts.push(`threshold ${threshold}`)
  if (grade.weight !== 1) parts.push(`weight ${grade.weight}`)
  const mark = grade.error === true ? '!' : grade.pass ? '✓' : '✗'
  return `${mark} ${grade.type}: ${grade.reason} (${parts.join(', ')})`
}

/** The message of `toPass` for `grade`, whichever way the expectation went. */
export function assertionMessage(
  grade: AssertionGrade,
  spec: AssertionSpec,
  output: unknown,
  negated: boolean,
): string {
  const line = gradeLine(grade, spec.threshold)
  const head =
    grade.error === true
      ? `${grade.type} could not decide, which fails ${negated ? '.not.toPass' : 'toPass'}`
      : negated
        ? `expected the output not to pass ${grade.type}, but it passed`
        : `expected the output to pass ${grade.type}`
  return `${head}\n  ${line}${missHint(grade)}\n\noutput: ${quote(output)}`
}

/** What to do about a judge call the cassettes do not hold. */
function missHint(grade: AssertionGrade): string {
  if (grade.error !== true || !grade.reason.includes('cassette miss')) return ''
  return '\n  (record the missing call: SHIPGATE_CASSETTE_MODE=record-missing with the judge reachable)'
}

/** The message of `toPassCase`: every assertion's line and the combined verdict. */
export function caseMessage(
  verdict: SampleVerdict,
  kase: SuiteCase,
  output: unknown,
  negated: boolean,
): string {
  const errored = verdict.grades.some((g) => g.error === true)
  const rule =
    kase.threshold === undefined
      ? 'every counted assertion must pass'
      : `weighted score must reach ${kase.threshold}`
  const head = errored
    ? `case ${kase.suite}/${kase.id}: an assertion could not decide`
    : negated
      ? `expected case ${kase.suite}/${kase.id} to fail, but it passed`
      : `expected case ${kase.suite}/${kase.id} to pass (${rule})`
  const lines = verdict.grades.map((g) => `  ${gradeLine(g)}${missHint(g)}`)
  return `${head}: score ${round(verdict.score)}\n${lines.join('\n')}\n\noutput: ${quote(output)}`
}

function round(n: number): string {
  return String(Math.round(n * 1000) / 1000)
}

function quote(output: unknown): string {
  const text = typeof output === 'string' ? output : JSON.stringify(output)
  if (text === undefined) return String(output)
  return text.length <= QUOTED ? text : `${text.slice(0, QUOTED)}… (${text.length} characters)`
}
