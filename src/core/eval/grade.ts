import { errorMessage } from '../../utils/errors.js'
import type { AssertionInput } from '../../contracts/assertion.js'
import type { AssertionGrade } from '../../contracts/results.js'
import type { PlannedCase } from './plan.js'

/** A sample's verdict from its assertions. */
export interface SampleVerdict {
  readonly pass: boolean
  readonly score: number
  readonly grades: readonly AssertionGrade[]
}

/**
 * Runs a case's checks on one output and combines them: the score is the weighted mean of the
 * counted checks (weight > 0); the sample passes when every counted check passes, or, with a
 * case threshold, when the score reaches it. A check that throws fails with the error as reason.
 */
export async function gradeSample(
  kase: PlannedCase,
  input: AssertionInput,
): Promise<SampleVerdict> {
  const grades: AssertionGrade[] = []
  for (const planned of kase.checks) {
    if (input.batched === true && planned.type === 'latency') {
      grades.push(unmeasured(planned.type))
      continue
    }
    const grade = await runCheck(planned.check, input)
    grades.push({
      type: planned.type,
      pass: grade.pass,
      score: grade.score,
      reason: grade.reason,
      weight: planned.weight,
      ...(planned.metric === undefined ? {} : { metric: planned.metric }),
      ...(grade.value === undefined ? {} : { value: grade.value }),
      ...(grade.scale === undefined ? {} : { scale: grade.scale }),
      ...(grade.error === undefined ? {} : { error: grade.error }),
      ...(grade.judge === undefined ? {} : { judge: grade.judge }),
    })
  }
  return combine(grades, kase.threshold)
}

/**
 * A `latency` check of an answer that came through a batch: recorded with weight 0, so it is
 * not counted. The batch's wait says nothing of the model's latency.
 */
function unmeasured(type: string): AssertionGrade {
  return {
    type,
    pass: true,
    score: 1,
    reason: 'not counted: the answer came through a batch, whose wait is not its latency',
    weight: 0,
  }
}

/** Combines graded checks into a sample verdict (see {@link gradeSample}). */
export function combine(grades: readonly AssertionGrade[], threshold?: number): SampleVerdict {
  let weightSum = 0
  let weighted = 0
  let allPass = true
  for (const g of grades) {
    if (g.weight <= 0) continue
    weightSum += g.weight
    weighted += g.weight * g.score
    allPass &&= g.pass
  }
  const score = weightSum === 0 ? 1 : weighted / weightSum
  // A check that could not decide fails the sample, even an informational one.
  const errored = grades.some((g) => g.error === true)
  const pass = !errored && (threshold === undefined ? allPass : score >= threshold)
  return { pass, score, grades }
}

async function runCheck(check: PlannedCase['checks'][number]['check'], input: AssertionInput) {
  try {
    return await check(input)
  } catch (error) {
    const message = errorMessage(error)
    return { pass: false, score: 0, reason: `assertion error: ${message}` }
  }
}
