/**
 * `shipgate ci` as a library call: what a pull request's CI job runs — the eval (with `since`
 * selection and baseline reuse when asked), then the gate on that run against the baseline.
 * The reports (files, the job summary, annotations) are the caller's: the verdict and the
 * results are returned for them.
 */
import type { RunReport } from '../../contracts/compare.js'
import type { BaselineInfo, GateVerdict } from '../../contracts/gate.js'
import { runReport } from '../compare/index.js'
import { evaluate, type EvalOptions, type EvalResult, type SkippedEval } from '../eval/index.js'
import { gate } from '../gate/index.js'

/** Options of {@link ci}: the eval's, and the gate's baseline and approvals. */
export interface CiOptions extends EvalOptions {
  /** Approval keys (`--approve`), besides `SHIPGATE_APPROVE` and PR labels. */
  readonly approve?: readonly string[]
}

/** How the job ended: skipped (nothing selected), interrupted (no gate), or gated. */
export type CiResult =
  | { readonly kind: 'skipped'; readonly evaluation: SkippedEval }
  | { readonly kind: 'interrupted'; readonly evaluation: EvalResult }
  | {
      readonly kind: 'gated'
      readonly evaluation: EvalResult
      readonly verdict: GateVerdict
      /** The run and, when the gate found a baseline, that run and the comparison with it. */
      readonly report: RunReport
    }

/** Runs the eval, then gates it; an interrupted run is not gated. */
export async function ci(options: CiOptions): Promise<CiResult> {
  const evaluation = await evaluate(options)
  if (evaluation.outcome === 'skipped') return { kind: 'skipped', evaluation }
  if (evaluation.outcome === 'interrupted') return { kind: 'interrupted', evaluation }
  const project = {
    cwd: options.cwd,
    env: options.env,
    configFile: options.configFile,
    config: options.config,
    store: options.store,
    logger: options.logger,
  }
  const { verdict } = await gate({
    ...project,
    results: evaluation.results,
    baseline: options.baseline,
    approve: options.approve,
  })
  const results = evaluation.results
  const report =
    verdict.baseline === null
      ? { results }
      : await runReport(results, { ...project, baseline: baselineRef(verdict.baseline) })
  return { kind: 'gated', evaluation, verdict, report }
}

/** How to name the baseline the gate found again: its file, or its run in the store. */
function baselineRef(baseline: BaselineInfo): string {
  return baseline.source === 'file' && baseline.file !== undefined ? baseline.file : baseline.runId
}
