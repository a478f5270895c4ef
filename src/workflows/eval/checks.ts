import { prepareAssertion } from '../../assertions/index.js'
import type { AssertionContext, Check } from '../../contracts/assertion.js'
import type { LocatedAssertion } from '../../config/load.js'
import type { PlannedCheck } from '../../core/eval/plan.js'
import { ShipgateError, type ConfigIssue } from '../../errors.js'
import { TransformChain } from '../../assertions/transform.js'
import { compileStage } from './transforms.js'

/**
 * Prepares assertions into the checks a case runs, each under its own `transform:` when it has
 * one; an assertion that cannot be prepared (an invalid value, a missing judge, a transform
 * that does not compile) is an issue at its place, collected into `issues`.
 */
export async function prepareChecks(
  assertions: readonly LocatedAssertion[],
  issues: ConfigIssue[],
  contextFor: (baseDir: string) => AssertionContext,
): Promise<PlannedCheck[]> {
  const checks: PlannedCheck[] = []
  for (const assertion of assertions) {
    const check = await prepare(assertion, issues, contextFor(assertion.baseDir))
    if (check === undefined) continue
    checks.push({
      type: assertion.type,
      weight: assertion.weight,
      check,
      ...(assertion.metric === undefined ? {} : { metric: assertion.metric }),
    })
  }
  return checks
}

async function prepare(
  assertion: LocatedAssertion,
  issues: ConfigIssue[],
  context: AssertionContext,
): Promise<Check | undefined> {
  try {
    const check = await prepareAssertion(assertion, context)
    if (assertion.transform === undefined) return check
    const what = `transform of ${assertion.type}`
    const stage = await compileStage(
      assertion.transform,
      assertion.baseDir,
      assertion.location,
      what,
    )
    if ('issue' in stage) {
      issues.push(stage.issue)
      return undefined
    }
    return new TransformChain([stage]).wrap(check)
  } catch (error) {
    if (!(error instanceof ShipgateError) || error.code !== 'config') throw error
    issues.push({
      ...assertion.location,
      message: error.message,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
    })
    return undefined
  }
}
