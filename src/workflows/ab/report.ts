/** The analysis of `core/ab` as the report `shipgate ab` prints (`AbReport`). */
import type {
  AbMetricRow,
  AbPairwiseView,
  AbPlanView,
  AbPrimaryName,
  AbReport,
} from '../../contracts/ab.js'
import type { ABAnalysis, ABCase, PlannedMetric, PrimaryMetric } from '../../core/ab/index.js'
import { planAB } from '../../core/ab/index.js'
import { usageError } from '../../errors.js'
import type { JudgedPairs } from './pairwise.js'
import type { Comparison } from './sides.js'

/** The report of a comparison, its analysis and (with `--pairwise`) its judging. */
export function reportOf(
  compared: Comparison,
  analysis: ABAnalysis,
  primary: PrimaryMetric,
  extra: {
    judged?: JudgedPairs | undefined
    criteria?: string | undefined
    plan: AbPlanView | null
  },
): AbReport {
  const guard = analysis.costGuardrail
  return {
    a: compared.a,
    b: compared.b,
    suites: compared.suites,
    cases: compared.cases.length,
    onlyA: compared.onlyA,
    onlyB: compared.onlyB,
    metrics: rows(analysis),
    pairwise:
      extra.judged === undefined ? null : pairwiseView(extra.judged, analysis, extra.criteria),
    cost: analysis.cost ?? null,
    costGuardrail:
      guard === undefined
        ? null
        : { ratio: guard.ratio, margin: guard.margin, pValue: guard.pValue, pass: guard.pass },
    decision: { primary: metricName(primary), ...analysis.decision },
    plan: extra.plan,
  }
}

function pairwiseView(
  judged: JudgedPairs,
  analysis: ABAnalysis,
  criteria: string | undefined,
): AbPairwiseView {
  const p = analysis.pairwise
  return {
    judge: judged.judge,
    criteria: criteria ?? null,
    cases: p?.cases ?? 0,
    wins: p?.wins ?? 0,
    losses: p?.losses ?? 0,
    ties: p?.ties ?? 0,
    failed: judged.failed,
    errors: judged.errors,
    share: p?.share ?? { value: 0, lower: 0, upper: 1, level: 0.95 },
    pValue: p?.pValue ?? 1,
    calls: judged.calls,
    costUsd: judged.costUsd,
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

/** The cases and repeats a next run needs for `effect`, from this run's variance. */
export function planView(
  cases: readonly ABCase[],
  effect: number,
  metric: PlannedMetric,
  alpha: number | undefined,
): AbPlanView {
  let made
  try {
    made = planAB(cases, effect, 0.8, {
      metric,
      availableCases: cases.length,
      ...(alpha === undefined ? {} : { alpha }),
    })
  } catch (error) {
    if (error instanceof RangeError) throw usageError(error.message.replace(/^planAB: /, ''))
    throw error
  }
  return {
    metric: metric === 'passRate' ? 'pass rate' : 'judge score',
    effect: made.effect,
    power: made.power,
    options: made.options,
    recommended: { repeats: made.recommended.repeats, cases: made.recommended.cases },
    reachable: made.reachable,
  }
}

const NAMES = {
  passRate: 'pass rate',
  score: 'judge score',
  pairwise: 'pairwise preference',
} as const satisfies Record<PrimaryMetric, AbPrimaryName>

function metricName(primary: PrimaryMetric): AbPrimaryName {
  return NAMES[primary]
}
