/**
 * `shipgate ab A B`: variant B against variant A (a prompt version, a model, params) on the same
 * cases, paired by `suite/case`: two runs (stored or results files), or with `variants` two
 * variants of one run (`suite[variant]`). The analysis of `core/ab`; with `pairwise` the judge's
 * preference in both orders; with `plan` the cases and repeats a next run needs. See docs/ab.md.
 */
import type { AbReport } from '../../contracts/ab.js'
import type { Logger } from '../../contracts/logger.js'
import type { SampleResult } from '../../contracts/results.js'
import type { Store } from '../../contracts/store.js'
import {
  analyzeAB,
  type ABAnalysis,
  type ABCase,
  type ABSample,
  type PrimaryMetric,
} from '../../core/ab/index.js'
import { usageError } from '../../errors.js'
import { withConfigAndStore, type StoreChoice } from '../project/index.js'
import { judgePairs, type PairwiseChoice } from './pairwise.js'
import { planView, reportOf } from './report.js'
import { twoRuns, variantsOfRun, type ComparedCase, type Comparison } from './sides.js'

export type { PairwiseChoice } from './pairwise.js'

/** Options of {@link abCompare}. */
export interface AbOptions extends StoreChoice {
  readonly logger: Logger
  /** Aborts the judge calls of `pairwise`. */
  readonly signal?: AbortSignal
  /**
   * A and B name variants of one run (`suite[variant]`, from a suite's `variants:` or
   * `matrix:`) instead of runs.
   */
  readonly variants?: boolean
  /** The run whose variants are compared: id, prefix, `latest` (default) or a results file. */
  readonly run?: string
  /** Only this suite (its configured name). */
  readonly suite?: string
  /** The metric the decision rests on: `passRate` (default), the judges' `score`, `pairwise`. */
  readonly primary?: PrimaryMetric
  /** Ask the config's judge which output is better, per case in both orders. */
  readonly pairwise?: PairwiseChoice
  readonly alpha?: number
  /** The winner's mean cost may be at most this multiple of the other's; default 1.1. */
  readonly costMargin?: number
  /** The effect asked on the primary metric (B - A), for the cases needed and `plan`. */
  readonly effect?: number
  /** Cases the plan called for: no winner below it. */
  readonly plannedCases?: number
  /** Also plan the next run for `effect` from this one's variance. */
  readonly plan?: boolean
}

/** B against A, paired by `suite/case`; cases only one side has are left out (and listed). */
export async function abCompare(a: string, b: string, options: AbOptions): Promise<AbReport> {
  checkOptions(options)
  const primary = options.primary ?? 'passRate'
  const pairwise = options.pairwise ?? (primary === 'pairwise' ? {} : undefined)
  return withConfigAndStore(options, async (loaded, store) => {
    const compared = await sides(a, b, store, options)
    const judged =
      pairwise === undefined
        ? undefined
        : await judgePairs(compared.cases, loaded, { ...pairwise, ...options })
    const cases = compared.cases.map((c) => abCase(c, judged?.preferences.get(c.id)))
    const analysis = runAnalysis(cases, options, primary)
    const plan =
      options.plan === true && primary !== 'pairwise'
        ? planView(cases, options.effect ?? 0, primary, options.alpha)
        : null
    return reportOf(compared, analysis, primary, { judged, criteria: pairwise?.criteria, plan })
  })
}

function checkOptions(options: AbOptions): void {
  if (options.plan === true && options.effect === undefined) {
    throw usageError('--plan needs the effect to plan for', 'add --effect, e.g. --effect 0.05')
  }
  if (options.plan === true && options.primary === 'pairwise') {
    throw usageError(
      '--plan plans pass rate or judge score, not the pairwise preference',
      'plan with --primary pass-rate or score',
    )
  }
}

/** The two sides: variants of one run (`variants`, or a `run` given), or two runs. */
function sides(a: string, b: string, store: Store, options: AbOptions): Promise<Comparison> {
  const where = { store, cwd: options.cwd, suite: options.suite }
  if (options.variants === true || options.run !== undefined)
    return variantsOfRun(a, b, { ...where, run: options.run ?? 'latest' })
  return twoRuns(a, b, where)
}

/** Runs the analysis; a bad option (a RangeError of core) is a usage error. */
function runAnalysis(cases: ABCase[], options: AbOptions, primary: PrimaryMetric): ABAnalysis {
  try {
    return analyzeAB(cases, {
      primary,
      alpha: options.alpha,
      costMargin: options.costMargin,
      effect: options.effect,
      plannedCases: options.plannedCases,
    })
  } catch (error) {
    if (error instanceof RangeError) throw usageError(error.message.replace(/^analyzeAB: /, ''))
    throw error
  }
}

/** A compared case as the analysis reads it, with its judge preference when judged. */
function abCase(c: ComparedCase, preference: number | undefined): ABCase {
  return {
    id: c.id,
    a: c.a.samples.map(sampleOf),
    b: c.b.samples.map(sampleOf),
    ...(preference === undefined ? {} : { preference }),
  }
}

/** A sample: an error fails it; its score is the mean of its model-graded grades, if any. */
function sampleOf(sample: SampleResult): ABSample {
  const judged = sample.grades.filter((g) => g.judge !== undefined && g.error !== true)
  const score =
    judged.length === 0 ? undefined : judged.reduce((s, g) => s + g.score, 0) / judged.length
  return {
    pass: sample.error === null && sample.pass,
    ...(score === undefined ? {} : { score: Math.min(1, Math.max(0, score)) }),
    ...(sample.costUsd === null ? {} : { costUsd: sample.costUsd }),
    ...(sample.latencyMs === null ? {} : { latencyMs: sample.latencyMs }),
  }
}
