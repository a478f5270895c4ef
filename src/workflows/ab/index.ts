/**
 * `shipgate ab A B`: two runs of the same cases with two variants (a prompt version, a model,
 * params), B against A, paired by case: the analysis of `core/ab` and, with `--plan`, the cases
 * and repeats a next run needs. The runs are stored runs or results files. See docs/ab.md.
 */
import type { AbMetricRow, AbPlanView, AbReport } from '../../contracts/ab.js'
import type { Logger } from '../../contracts/logger.js'
import type { ResultsDocument, SampleResult } from '../../contracts/results.js'
import {
  analyzeAB,
  planAB,
  type ABAnalysis,
  type ABCase,
  type ABSample,
  type PrimaryMetric,
} from '../../core/ab/index.js'
import { usageError } from '../../errors.js'
import { withConfigAndStore, type StoreChoice } from '../project/index.js'
import { resultsOf } from '../results/index.js'

/** Options of {@link abCompare}. */
export interface AbOptions extends StoreChoice {
  readonly logger: Logger
  /** The metric the decision rests on: `passRate` (default) or the judges' `score`. */
  readonly primary?: PrimaryMetric
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

/** B's run against A's, paired by `suite/case`; cases only one run has are left out. */
export async function abCompare(a: string, b: string, options: AbOptions): Promise<AbReport> {
  if (options.plan === true && options.effect === undefined) {
    throw usageError('--plan needs the effect to plan for', 'add --effect, e.g. --effect 0.05')
  }
  return withConfigAndStore(options, async (_loaded, store) => {
    const [runA, runB] = [
      await resultsOf(a, store, options.cwd),
      await resultsOf(b, store, options.cwd),
    ]
    const [byA, byB] = [samplesByCase(runA), samplesByCase(runB)]
    const cases: ABCase[] = []
    for (const [id, samples] of byA) {
      const other = byB.get(id)
      if (other !== undefined) cases.push({ id, a: samples, b: other })
    }
    if (cases.length === 0) {
      throw usageError(
        `${a} and ${b} have no case in common`,
        'compare two runs of the same suites, e.g. the same suite run with two prompt versions',
      )
    }
    const primary = options.primary ?? 'passRate'
    const analysis = runAnalysis(cases, options, primary)
    return {
      a: { run: runA.run.id, ref: a },
      b: { run: runB.run.id, ref: b },
      cases: cases.length,
      onlyA: [...byA.keys()].filter((id) => !byB.has(id)),
      onlyB: [...byB.keys()].filter((id) => !byA.has(id)),
      metrics: rows(analysis),
      cost: analysis.cost ?? null,
      costGuardrail:
        analysis.costGuardrail === undefined
          ? null
          : {
              ratio: analysis.costGuardrail.ratio,
              margin: analysis.costGuardrail.margin,
              pValue: analysis.costGuardrail.pValue,
              pass: analysis.costGuardrail.pass,
            },
      decision: { primary: metricName(primary), ...analysis.decision },
      plan: options.plan === true ? plan(cases, options.effect ?? 0, primary, options.alpha) : null,
    }
  })
}

/** Runs the analysis; a bad option (a RangeError of core) is a usage error. */
function runAnalysis(cases: ABCase[], options: AbOptions, primary: PrimaryMetric): ABAnalysis {
  try {
    return analyzeAB(cases, {
      primary,
      ...(options.alpha === undefined ? {} : { alpha: options.alpha }),
      ...(options.costMargin === undefined ? {} : { costMargin: options.costMargin }),
      ...(options.effect === undefined ? {} : { effect: options.effect }),
      ...(options.plannedCases === undefined ? {} : { plannedCases: options.plannedCases }),
    })
  } catch (error) {
    if (error instanceof RangeError) throw usageError(error.message.replace(/^analyzeAB: /, ''))
    throw error
  }
}

/** Each case's samples as the analysis reads them, keyed `suite/case`. */
function samplesByCase(results: ResultsDocument): Map<string, ABSample[]> {
  const cases = new Map<string, ABSample[]>()
  for (const suite of results.suites) {
    for (const c of suite.cases) cases.set(`${suite.name}/${c.id}`, c.samples.map(sampleOf))
  }
  return cases
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

function rows(analysis: ABAnalysis): AbMetricRow[] {
  const out: AbMetricRow[] = []
  const { passRate, score, latency } = analysis
  if (passRate !== undefined) {
    const exact = passRate.test === 'mcnemar-exact'
    out.push({
      metric: 'pass rate',
      ...paired(passRate),
      test: exact ? 'exact McNemar' : 'paired t on per-case pass shares (clustered)',
      ...(exact ? {} : { check: { test: 'McNemar', pValue: passRate.mcnemar.pValue } }),
    })
  }
  if (score !== undefined) {
    out.push({
      metric: 'judge score',
      ...paired(score),
      test: 'paired t',
      check: { test: 'Wilcoxon signed-rank', pValue: score.wilcoxon.pValue },
    })
  }
  if (latency !== undefined)
    out.push({ metric: 'latency (ms)', ...paired(latency), test: 'paired t' })
  return out
}

function paired(metric: NonNullable<ABAnalysis['latency']>) {
  const { cases, meanA, meanB, difference, pValue } = metric
  return { cases, meanA, meanB, difference, pValue }
}

function plan(
  cases: ABCase[],
  effect: number,
  primary: PrimaryMetric,
  alpha: number | undefined,
): AbPlanView {
  let made
  try {
    made = planAB(cases, effect, 0.8, {
      metric: primary,
      availableCases: cases.length,
      ...(alpha === undefined ? {} : { alpha }),
    })
  } catch (error) {
    if (error instanceof RangeError) throw usageError(error.message.replace(/^planAB: /, ''))
    throw error
  }
  return {
    metric: metricName(primary),
    effect: made.effect,
    power: made.power,
    options: made.options,
    recommended: { repeats: made.recommended.repeats, cases: made.recommended.cases },
    reachable: made.reachable,
  }
}

function metricName(primary: PrimaryMetric): 'pass rate' | 'judge score' {
  return primary === 'passRate' ? 'pass rate' : 'judge score'
}
