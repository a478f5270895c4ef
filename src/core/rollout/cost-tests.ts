/**
 * Cost per request, for the canary analysis and the monitor: a normal mixture SPRT on the log
 * ratio of the judged release's mean cost to a reference's (the other release serving at the
 * same time, the previous release's saved totals, or a limit), less the margin.
 */
import type { TrafficWindow } from '../../contracts/metrics.js'
import { sequentialNormalTest, type NormalLook } from '../stats/sequential.js'
import { sum, type Evidence, type WindowPair } from './release-tests.js'

/** Intervals each arm needs before the cost test has a variance to go by. */
const COST_MIN_WINDOWS = 3

/**
 * Cost per request: the log ratio of the judged release's mean cost to the reference's, less
 * log(1 + margin), tested with a normal mixture. The per-request spread comes from how the
 * interval means vary (their variance is σ²/n), pooled over both arms, so it needs a few
 * intervals of each.
 */
export function costEvidence(pairs: readonly WindowPair[], margin: number): Evidence | undefined {
  const priced = pairs.filter(
    (w) => w.canary.costUsd !== undefined && w.stable.costUsd !== undefined,
  )
  if (priced.length === 0) return undefined
  const looks: NormalLook[] = []
  for (let k = 1; k <= priced.length; k++) {
    const seen = priced.slice(0, k)
    looks.push(
      costLook(
        seen.map((w) => w.canary),
        armSpread(seen.map((w) => w.stable)),
        margin,
      ),
    )
  }
  return {
    pValue: sequentialNormalTest(looks, 0.3).pValue,
    subject: meanCost(priced.map((w) => w.canary)),
    reference: meanCost(priced.map((w) => w.stable)),
  }
}

/**
 * Cost per request against a fixed reference: a mean from a sample with no spread of its own
 * (the previous release's saved totals: `requests` of them), or a limit (`requests` Infinity).
 * The spread is the judged release's alone.
 */
export function costReferenceEvidence(
  arm: readonly TrafficWindow[],
  reference: { readonly meanUsd: number; readonly requests: number },
  margin: number,
): Evidence | undefined {
  const priced = arm.filter((w) => w.costUsd !== undefined)
  if (priced.length === 0 || !(reference.meanUsd > 0)) return undefined
  const fixed: Spread = {
    n: reference.requests,
    mean: reference.meanUsd,
    spread: 0,
    windows: 1,
    fixed: true,
  }
  const looks: NormalLook[] = []
  for (let k = 1; k <= priced.length; k++) {
    looks.push(costLook(priced.slice(0, k), fixed, margin))
  }
  return {
    pValue: sequentialNormalTest(looks, 0.3).pValue,
    subject: meanCost(priced),
    reference: reference.meanUsd,
  }
}

/** One arm's requests, mean cost, the sum of squared relative deviations, and its intervals. */
interface Spread {
  readonly n: number
  readonly mean: number | null
  readonly spread: number
  readonly windows: number
  /** A fixed reference (a saved total, a limit): no spread, no degrees of freedom of its own. */
  readonly fixed?: boolean
}

function armSpread(arm: readonly TrafficWindow[]): Spread {
  const used = arm.filter((w) => w.requests > 0)
  const mean = meanCost(used)
  let spread = 0
  if (mean !== null && mean > 0) {
    for (const w of used) spread += w.requests * ((w.costUsd ?? 0) / w.requests / mean - 1) ** 2
  }
  return { n: sum(used.map((w) => w.requests)), mean, spread, windows: used.length }
}

function costLook(arm: readonly TrafficWindow[], ref: Spread, margin: number): NormalLook {
  const c = armSpread(arm)
  const refMin = ref.fixed === true ? 1 : COST_MIN_WINDOWS
  const df = c.windows - 1 + (ref.windows - 1)
  if (
    c.mean === null ||
    ref.mean === null ||
    !(c.mean > 0 && ref.mean > 0) ||
    c.windows < COST_MIN_WINDOWS ||
    ref.windows < refMin
  ) {
    return { estimate: 0, variance: 0, df: 0 }
  }
  const cv2 = (c.spread + ref.spread) / df
  return {
    estimate: Math.log(c.mean / ref.mean) - Math.log(1 + margin),
    variance: cv2 * (1 / c.n + 1 / ref.n),
    df,
  }
}

function meanCost(arm: readonly TrafficWindow[]): number | null {
  const n = sum(arm.map((w) => w.requests))
  return n === 0 ? null : sum(arm.map((w) => w.costUsd ?? 0)) / n
}
