import type { MatcherState } from 'vitest'
import type { AssertionSpec } from '../contracts/assertion.js'
import { usageError } from '../errors.js'
import { isGradedOutput, type CheckOptions, type SuiteCase } from '../workflows/grade/index.js'
import { assertionMessage, caseMessage } from './messages.js'
import { currentGrader } from './session.js'

/** What a matcher answers vitest. */
interface MatcherResult {
  readonly pass: boolean
  readonly message: () => string
}

/**
 * `expect(output).toPass(assertion)`: the output passes one assertion of any type, prepared
 * as eval prepares the config's, with the project's judge through its cassettes. A check that
 * could not decide fails both `toPass` and `.not.toPass`.
 */
export async function toPass(
  this: MatcherState,
  received: unknown,
  assertion: AssertionSpec,
  options?: CheckOptions,
): Promise<MatcherResult> {
  const grader = await currentGrader()
  const grade = await grader.check(received, assertion, options)
  // The message's output is the answer's text, not the wrapper around it.
  const output = isGradedOutput(received) ? received.output : received
  return {
    pass: grade.error === true ? this.isNot : grade.pass,
    message: () => assertionMessage(grade, assertion, output, this.isNot),
  }
}

/**
 * `expect(output).toPassCase(kase)`: the output passes a suite case (from `suiteCases`) as
 * eval grades a sample: every assertion of the case, weighted, with its threshold.
 */
export async function toPassCase(
  this: MatcherState,
  received: unknown,
  kase: SuiteCase,
): Promise<MatcherResult> {
  if (typeof kase !== 'object' || kase === null) {
    throw usageError('toPassCase needs a case', 'pass a case from suiteCases(suite)')
  }
  const grader = await currentGrader()
  const verdict = await grader.gradeCase(kase, received)
  const errored = verdict.grades.some((g) => g.error === true)
  const output = isGradedOutput(received) ? received.output : received
  return {
    pass: errored ? this.isNot : verdict.pass,
    message: () => caseMessage(verdict, kase, output, this.isNot),
  }
}
