import { normalSampleSize } from '../stats/power.js'
import { checkOpenUnit, checkPositive } from '../stats/validate.js'
import { checkCases, passValue, sampleMean, scoreValue } from './cases.js'
import type { ABCase, ABSample, PlannedMetric } from './types.js'

/*
 * Planning an offline A/B run from a pilot: how many cases (and repeats of each) the paired
 * test on per-case means needs to find a given effect with a given power. The variance of a
 * per-case difference splits into a between-case part, which only more cases shrink, and a
 * within-case part (repeat noise of both variants), which repeats shrink as 1/r.
 */

/** Options of {@link planAB}. */
export interface ABPlanOptions {
  /** The metric to plan for; default `passRate`. */
  readonly metric?: PlannedMetric
  /** Two-sided significance level; default 0.05. */
  readonly alpha?: number
  /** The largest number of repeats to consider; default 5. */
  readonly maxRepeats?: number
  /** Cases the suite has: the plan then picks the fewest repeats that fit. */
  readonly availableCases?: number
}

/** Cases needed at one number of repeats. */
export interface ABPlanOption {
  readonly repeats: number
  readonly cases: number
  /** cases · repeats · 2: the samples (calls) both variants need. */
  readonly samples: number
}

/** The plan: the variance it used and the cases needed per number of repeats. */
export interface ABPlan {
  readonly metric: PlannedMetric
  readonly effect: number
  readonly power: number
  readonly alpha: number
  readonly pilotCases: number
  /** Share of pilot cases whose per-case pass shares differ (pass rate only). */
  readonly discordance?: number
  /** SD of a per-case difference due to the cases themselves. */
  readonly sdBetween: number
  /** SD of one sample of A plus one of B around their case means (0 without pilot repeats). */
  readonly sdWithin: number
  /** One entry per number of repeats, 1 to maxRepeats. */
  readonly options: readonly ABPlanOption[]
  /** The recommended entry: 1 repeat, or the fewest repeats that fit availableCases. */
  readonly recommended: ABPlanOption
  /** False when even maxRepeats needs more cases than availableCases. */
  readonly reachable: boolean
}

/**
 * The cases and repeats needed to detect `effect` (B - A on the metric's scale: a pass-rate
 * difference or a score difference) with `power`, from a pilot run's per-case variance. For pass
 * rates the variance under the effect is E[d²] - effect² (Connor 1987's McNemar plan: with one
 * repeat E[d²] is the discordance rate, and the size is continuity-corrected for the exact
 * McNemar test that then decides); for scores it is the pilot's variance of differences.
 * Throws on a pilot of fewer than two cases.
 */
export function planAB(
  pilot: readonly ABCase[],
  effect: number,
  power = 0.8,
  options: ABPlanOptions = {},
): ABPlan {
  checkCases('planAB: pilot', pilot)
  checkPositive('planAB: |effect|', Math.abs(effect))
  checkOpenUnit('planAB: power', power)
  const alpha = options.alpha ?? 0.05
  const metric = options.metric ?? 'passRate'
  const maxRepeats = options.maxRepeats ?? 5
  const planned: string = metric
  if (planned !== 'passRate' && planned !== 'score')
    throw new RangeError(
      `planAB: metric must be 'passRate' or 'score', got ${JSON.stringify(planned)}`,
    )
  const parts = varianceParts(pilot, metric === 'passRate' ? passValue : scoreValue, effect, metric)
  const planOptions = Array.from({ length: maxRepeats }, (_, i) => {
    const repeats = i + 1
    const variance = parts.between + parts.within / repeats
    const n =
      variance <= 0
        ? 2
        : normalSampleSize(Math.abs(effect) / Math.sqrt(variance), power, {
            alpha,
            design: 'one-sample',
          })
    // One repeat: the decision is exact McNemar, which needs the continuity-corrected size.
    const exact = metric === 'passRate' && repeats === 1 ? continuityCorrected(n, effect) : n
    const cases = Math.max(2, Math.ceil(exact))
    return { repeats, cases, samples: cases * repeats * 2 }
  })
  const fits = planOptions.find((o) => o.cases <= (options.availableCases ?? Infinity))
  return {
    metric,
    effect,
    power,
    alpha,
    pilotCases: parts.cases,
    ...(metric === 'passRate' ? { discordance: parts.discordance } : {}),
    sdBetween: Math.sqrt(parts.between),
    sdWithin: Math.sqrt(parts.within),
    options: planOptions,
    recommended: fits ?? planOptions[planOptions.length - 1]!,
    reachable: fits !== undefined,
  }
}

/**
 * The cases the continuity-corrected McNemar test (|b - c| - 1 in the numerator, close to the
 * exact test) needs when the uncorrected one needs `n`: solving n·|δ| - 1 = k·√n for √n gives
 * n/4 · (1 + √(1 + 4 / (n·|δ|)))², the paired form of Fleiss's correction.
 */
export function continuityCorrected(n: number, effect: number): number {
  return (n / 4) * (1 + Math.sqrt(1 + 4 / (n * Math.abs(effect)))) ** 2
}

/** The between-case and within-case (one sample per variant) variances of a difference. */
function varianceParts(
  pilot: readonly ABCase[],
  pick: (s: ABSample) => number | undefined,
  effect: number,
  metric: PlannedMetric,
) {
  const diffs: number[] = []
  const pilotWithin: number[] = []
  let withinA = 0
  let withinB = 0
  let withinCases = 0
  let discordant = 0
  for (const c of pilot) {
    const a = values(c.a, pick)
    const b = values(c.b, pick)
    if (a.length === 0 || b.length === 0) continue
    const d = sampleMean(c.b, pick)! - sampleMean(c.a, pick)!
    diffs.push(d)
    if (d !== 0) discordant += 1
    if (a.length < 2 || b.length < 2) continue
    const va = variance(a)
    const vb = variance(b)
    withinA += va
    withinB += vb
    withinCases += 1
    pilotWithin.push(va / a.length + vb / b.length)
  }
  if (diffs.length < 2)
    throw new RangeError(
      `planAB: the pilot needs the ${metric} of both variants on two cases or more`,
    )
  const n = diffs.length
  const meanD = diffs.reduce((s, d) => s + d, 0) / n
  const total =
    metric === 'passRate'
      ? diffs.reduce((s, d) => s + d * d, 0) / n - effect * effect
      : diffs.reduce((s, d) => s + (d - meanD) ** 2, 0) / (n - 1)
  const within = withinCases === 0 ? 0 : (withinA + withinB) / withinCases
  const inPilot =
    pilotWithin.length === 0 ? 0 : pilotWithin.reduce((s, v) => s + v, 0) / pilotWithin.length
  return {
    cases: n,
    discordance: discordant / n,
    between: Math.max(0, total - inPilot),
    within,
  }
}

function values(samples: readonly ABSample[], pick: (s: ABSample) => number | undefined): number[] {
  const out: number[] = []
  for (const s of samples) {
    const v = pick(s)
    if (v !== undefined) out.push(v)
  }
  return out
}

function variance(xs: readonly number[]): number {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1)
}
