// One metric of a treatment against control: the estimate of the difference, its variance from
// the per-arm totals, and the always-valid test that may be read at every look. Proportions use
// the unpooled binomial variance p(1 − p)/n per arm, means the sample variance (Σx² − n·x̄²)/(n − 1)
// over n, both plug-in estimates as in Johari et al. (2022, §4) and Optimizely's Stats Engine;
// ratios of per-user sums the delta method (src/core/stats/ratio.ts).
import { alwaysValidTest } from '../stats/always-valid.js'
import { normalSf } from '../stats/distributions.js'
import { twoProportionZTest } from '../stats/proportions.js'
import { ratioEstimate } from '../stats/ratio.js'
import { summarize, welchFromSummary } from '../stats/summary-tests.js'
import { symmetricPValue } from '../stats/tails.js'
import type { Alternative } from '../stats/types.js'
import type { ArmData, GuardrailPlan, MetricPlan, MetricTotals, PrimaryPlan } from './types.js'

/** An arm's metric as a mean and the variance of that mean. */
interface ArmEstimate {
  readonly mean: number
  readonly varianceOfMean: number
  readonly totals: MetricTotals
}

/** The metric's totals in `arm`, or a RangeError naming the arm and metric. */
function totalsOf(arm: ArmData, metric: MetricPlan): MetricTotals {
  const totals = arm.metrics[metric.name]
  if (totals === undefined)
    throw new RangeError(
      `experiment: arm '${arm.variant}' has no totals for metric '${metric.name}'`,
    )
  return totals
}

/** The arm's mean (or ratio) of `metric` and its variance; throws on impossible totals. */
export function armEstimate(arm: ArmData, metric: MetricPlan): ArmEstimate {
  const totals = totalsOf(arm, metric)
  const label = `experiment: arm '${arm.variant}' metric '${metric.name}'`
  switch (metric.kind) {
    case 'proportion':
      return proportionEstimate(label, totals)
    case 'mean': {
      if (totals.sumSquares === undefined)
        throw new RangeError(`${label}: a mean metric needs sumSquares`)
      const s = summarize(label, {
        count: totals.count,
        sum: totals.sum,
        sumSquares: totals.sumSquares,
      })
      return { mean: s.mean, varianceOfMean: s.variance / s.count, totals }
    }
    case 'ratio':
      return ratioArmEstimate(label, totals)
    default:
      return metric.kind satisfies never
  }
}

function proportionEstimate(label: string, totals: MetricTotals): ArmEstimate {
  const { count, sum } = totals
  const whole = Number.isInteger(count) && Number.isInteger(sum)
  if (!(whole && count >= 1 && sum >= 0 && sum <= count))
    throw new RangeError(
      `${label}: needs whole 0 <= successes <= count, count >= 1; got ${sum} of ${count}`,
    )
  const p = sum / count
  return { mean: p, varianceOfMean: (p * (1 - p)) / count, totals }
}

function ratioArmEstimate(label: string, totals: MetricTotals): ArmEstimate {
  const { sumSquares, denominatorSum, denominatorSumSquares, sumProducts } = totals
  if (
    sumSquares === undefined ||
    denominatorSum === undefined ||
    denominatorSumSquares === undefined ||
    sumProducts === undefined
  )
    throw new RangeError(
      `${label}: a ratio metric needs sumSquares, denominatorSum, denominatorSumSquares and sumProducts`,
    )
  const { ratio, variance } = ratioEstimate(label, {
    count: totals.count,
    sumX: totals.sum,
    sumY: denominatorSum,
    sumXX: sumSquares,
    sumYY: denominatorSumSquares,
    sumXY: sumProducts,
  })
  return { mean: ratio, varianceOfMean: variance, totals }
}

/** The direction of "treatment better" as a test alternative. */
function improvement(metric: MetricPlan): Alternative {
  return metric.better === 'higher' ? 'greater' : 'less'
}

/**
 * The fixed-sample p-value of treatment − control: two-proportion z, Welch's t, or for a ratio
 * the normal z of the delta-method estimate.
 */
function fixedSampleP(
  metric: MetricPlan,
  t: ArmEstimate,
  c: ArmEstimate,
  alternative: Alternative,
): number {
  if (metric.kind === 'proportion')
    return twoProportionZTest(t.totals.sum, t.totals.count, c.totals.sum, c.totals.count, {
      alternative,
    }).pValue
  const summary = (e: ArmEstimate) => ({
    count: e.totals.count,
    mean: e.mean,
    variance: e.varianceOfMean * e.totals.count,
  })
  if (t.totals.count < 2 || c.totals.count < 2 || t.varianceOfMean + c.varianceOfMean === 0)
    return 1
  if (metric.kind === 'ratio')
    return normalP(t.mean - c.mean, t.varianceOfMean + c.varianceOfMean, alternative)
  return welchFromSummary(summary(t), summary(c), { alternative }).pValue
}

/** The normal z-test's p-value of an estimate with `variance`, against 0. */
function normalP(estimate: number, variance: number, alternative: Alternative): number {
  return symmetricPValue(estimate / Math.sqrt(variance), alternative, normalSf)
}

/** The primary test's alternative: the improving side for a one-sided plan, else two-sided. */
export function primaryAlternative(plan: PrimaryPlan): Alternative {
  return plan.sided === 'one-sided' ? improvement(plan) : 'two-sided'
}

/** The primary metric of `treatment` against `control` at this look, before any adjustment. */
export function comparePrimary(
  plan: PrimaryPlan,
  treatment: ArmData,
  control: ArmData,
  alpha: number,
) {
  const t = armEstimate(treatment, plan)
  const c = armEstimate(control, plan)
  const alternative = primaryAlternative(plan)
  const test = alwaysValidTest(t.mean - c.mean, t.varianceOfMean + c.varianceOfMean, {
    tau: plan.effect,
    alternative,
    alpha,
  })
  return {
    metric: plan.name,
    control: c.mean,
    treatment: t.mean,
    test,
    fixedSampleP: fixedSampleP(plan, t, c, alternative),
  }
}

/**
 * A guardrail's non-inferiority test. With a relative margin m on a lower-is-better metric the
 * null is T ≥ (1 + m)·C, tested on T − (1 + m)·C, whose variance is Var T + (1 + m)²·Var C, so
 * control's mean is not treated as known (higher-is-better uses 1 − m). An absolute margin M
 * tests T − C against M. The mixture scale τ is the margin in the metric's units (m·|C| for a
 * relative margin, C estimated at this look).
 */
export function compareGuardrail(
  plan: GuardrailPlan,
  treatment: ArmData,
  control: ArmData,
  alpha: number,
) {
  const t = armEstimate(treatment, plan)
  const c = armEstimate(control, plan)
  const sign = plan.better === 'lower' ? 1 : -1
  const relative = plan.relative ?? true
  const factor = relative ? 1 + sign * plan.margin : 1
  const shift = relative ? 0 : sign * plan.margin
  const estimate = t.mean - factor * c.mean - shift
  const variance = t.varianceOfMean + factor * factor * c.varianceOfMean
  const alternative = improvement(plan)
  const tau = relative ? plan.margin * Math.abs(c.mean) : plan.margin
  const test = alwaysValidTest(estimate, variance, {
    tau: tau > 0 ? tau : plan.margin,
    alternative,
    alpha,
  })
  return {
    metric: plan.name,
    control: c.mean,
    treatment: t.mean,
    margin: plan.margin,
    test,
    fixedSampleP: variance > 0 ? normalP(estimate, variance, alternative) : 1,
  }
}
