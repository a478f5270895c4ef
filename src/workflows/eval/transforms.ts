import {
  prepareTransform,
  TransformChain,
  type TransformStage,
} from '../../assertions/transform.js'
import type { ConfigLocation, LocatedTransform } from '../../config/load.js'
import type { PlannedCheck } from '../../core/eval/plan.js'
import { ShipgateError, type ConfigIssue } from '../../errors.js'

/*
 * `transform:` of suites and cases in a plan: compiled once each, then wrapped around the
 * checks so that the suite's runs first, then the case's, then the assertion's own (which
 * checks.ts wraps), each on the previous one's output.
 */

/**
 * The compiled stage of a suite's or case's transform; `undefined` when there is none or it
 * does not compile (then an issue at its place is added to `issues`).
 */
export async function transformStage(
  transform: LocatedTransform | undefined,
  what: string,
  issues: ConfigIssue[],
): Promise<TransformStage | undefined> {
  if (transform === undefined) return undefined
  const stage = await compileStage(transform.source, transform.baseDir, transform.location, what)
  if ('issue' in stage) {
    issues.push(stage.issue)
    return undefined
  }
  return stage
}

/** A transform compiled into a stage labelled `what (file:line)`, or the issue it raised. */
export async function compileStage(
  source: string,
  baseDir: string,
  location: ConfigLocation,
  what: string,
): Promise<TransformStage | { issue: ConfigIssue }> {
  try {
    return { label: `${what} (${placeOf(location)})`, run: await prepareTransform(source, baseDir) }
  } catch (error) {
    if (!(error instanceof ShipgateError) || error.code !== 'config') throw error
    const issue = { ...location, message: error.message }
    return { issue: error.hint === undefined ? issue : { ...issue, hint: error.hint } }
  }
}

/** `evals/cases.yaml:12`, or the key path of a config given as a value. */
function placeOf(location: ConfigLocation): string {
  return 'path' in location
    ? `${location.file} ${location.path}`
    : `${location.file}:${location.line}`
}

/**
 * The checks of a suite's cases with the suite's and the case's transforms around them. Cases
 * without a transform of their own share the suite's wrapped checks (and its per-sample result).
 */
export class StagedChecks {
  private readonly suiteChain: TransformChain | undefined
  private readonly suiteWrapped: readonly PlannedCheck[]

  constructor(
    private readonly suiteChecks: readonly PlannedCheck[],
    private readonly suiteStage: TransformStage | undefined,
  ) {
    this.suiteChain = suiteStage === undefined ? undefined : new TransformChain([suiteStage])
    this.suiteWrapped = wrapAll(suiteChecks, this.suiteChain)
  }

  /** The checks of a case: the suite's then its own, under the transforms that apply. */
  of(own: readonly PlannedCheck[], caseStage: TransformStage | undefined): readonly PlannedCheck[] {
    if (caseStage === undefined) {
      return own.length === 0
        ? this.suiteWrapped
        : [...this.suiteWrapped, ...wrapAll(own, this.suiteChain)]
    }
    const stages = this.suiteStage === undefined ? [caseStage] : [this.suiteStage, caseStage]
    return wrapAll([...this.suiteChecks, ...own], new TransformChain(stages))
  }
}

function wrapAll(
  checks: readonly PlannedCheck[],
  chain: TransformChain | undefined,
): readonly PlannedCheck[] {
  if (chain === undefined) return checks
  return checks.map((c) => ({ ...c, check: chain.wrap(c.check) }))
}
