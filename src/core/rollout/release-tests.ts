/**
 * The tests that judge a release's traffic, without words: shared by the canary analysis
 * (canary.ts: the canary against stable serving at the same time) and the post-deploy monitor
 * (monitor.ts: the new release against the previous one, concurrent or saved, and against
 * absolute limits). Each returns an always-valid p-value over every interval so far
 * (src/core/stats/sequential.ts), so its caller may look after every interval. Cost is in
 * cost-tests.ts.
 */
import type { TrafficWindow } from '../../contracts/metrics.js'
import { sequentialOddsTest, type OddsTrials } from '../stats/sequential.js'
import { sequentialOddsAgainstSample } from '../stats/reference-sample.js'

/** One interval of two releases serving at the same time: the one judged and the reference. */
export interface WindowPair {
  readonly canary: TrafficWindow
  readonly stable: TrafficWindow
}

/** A test's result: the always-valid p-value and both figures it compared. */
export interface Evidence {
  readonly pValue: number
  /** The judged release's figure (error rate, slow share, cost per request); null without traffic. */
  readonly subject: number | null
  /** The reference's figure (the other release's, or the limit). */
  readonly reference: number | null
}

/** Share of the reference's requests that "slow" means: slower than about its p95. */
export const SLOW_SHARE = 0.05

/**
 * Errors against the concurrent reference: each error of an interval is a trial that lands on
 * the judged release with probability its share of the traffic (tilted by the ratio `margin`)
 * when it is no worse than the reference.
 */
export function errorRateEvidence(pairs: readonly WindowPair[], margin: number): Evidence {
  const looks = pairs.map((w) =>
    eventTrials(w.canary.errors, w.stable.errors, w.canary.requests, w.stable.requests, margin),
  )
  return {
    pValue: sequentialOddsTest(looks).pValue,
    subject: rateOf(pairs.map((w) => w.canary)),
    reference: rateOf(pairs.map((w) => w.stable)),
  }
}

/** The judged release's events among both releases', with the null's share from the traffic. */
function eventTrials(
  events: number,
  referenceEvents: number,
  exposure: number,
  referenceExposure: number,
  margin: number,
): OddsTrials {
  const share = exposure / (exposure + referenceExposure)
  if (!(share > 0 && share < 1)) return { x: 0, n: 0, q0: 0.5 }
  const q0 = (share * margin) / (share * margin + 1 - share)
  const x = whole(events)
  return { x, n: x + whole(referenceEvents), q0 }
}

/** Each request of the judged release is a trial that errs with at most the limit's probability. */
export function errorLimitEvidence(arm: readonly TrafficWindow[], limit: number): Evidence {
  const looks = arm.map((w) => {
    const n = whole(w.requests)
    return { x: Math.min(n, whole(w.errors)), n, q0: limit }
  })
  return { pValue: sequentialOddsTest(looks).pValue, subject: rateOf(arm), reference: limit }
}

/**
 * Errors against a reference known only as a sample taken before (the previous release's saved
 * totals): the judged release's error rate is significantly above `nullRate(the reference's)`.
 * The reference's uncertainty is paid for, not ignored (see `sequentialOddsAgainstSample`).
 */
export function errorSampleEvidence(
  arm: readonly TrafficWindow[],
  reference: { readonly requests: number; readonly errors: number },
  nullRate: (rate: number) => number,
): Evidence {
  const looks = arm.map((w) => {
    const n = whole(w.requests)
    return { x: Math.min(n, whole(w.errors)), n }
  })
  const sample = {
    x: Math.min(whole(reference.errors), whole(reference.requests)),
    n: whole(reference.requests),
  }
  return {
    pValue: sequentialOddsAgainstSample(looks, sample, nullRate).pValue,
    subject: rateOf(arm),
    reference: sample.n === 0 ? null : sample.x / sample.n,
  }
}

/** A latency test's evidence, with the histogram bound (seconds) above which a request is slow. */
export interface LatencyEvidence extends Evidence {
  readonly bound: number | undefined
}

/**
 * Latency against the concurrent reference: requests slower than the reference's p95 (the
 * histogram bound nearest it from below, taken from the reference's earlier intervals so it is
 * fixed before the interval is counted) are events, as errors are.
 */
export function latencyEvidence(
  pairs: readonly WindowPair[],
  margin: number,
): LatencyEvidence | undefined {
  const looks: OddsTrials[] = []
  let slow = 0
  let slowRef = 0
  let seen = 0
  let seenRef = 0
  let bound: number | undefined
  let history: number[] | undefined
  for (const w of pairs) {
    const c = w.canary.latency
    const s = w.stable.latency
    if (c === undefined || s === undefined || !sameBounds(c.bounds, s.bounds)) continue
    history ??= s.counts.map(() => 0)
    const pool = sum(history) > 0 ? history : [...s.counts]
    const cut = slowCut(s.bounds, pool)
    s.counts.forEach((n, i) => ((history as number[])[i] = ((history as number[])[i] ?? 0) + n))
    if (cut === undefined) continue
    bound = s.bounds[cut - 1]
    const cSlow = sum(c.counts.slice(cut))
    const sSlow = sum(s.counts.slice(cut))
    looks.push(eventTrials(cSlow, sSlow, sum(c.counts), sum(s.counts), margin))
    slow += cSlow
    slowRef += sSlow
    seen += sum(c.counts)
    seenRef += sum(s.counts)
  }
  if (history === undefined) return undefined
  return {
    pValue: sequentialOddsTest(looks).pValue,
    subject: seen === 0 ? null : slow / seen,
    reference: seenRef === 0 ? null : slowRef / seenRef,
    bound,
  }
}

/**
 * Latency against a reference sample's histogram (the previous release's saved totals): the
 * judged release's share of requests slower than the reference's p95 bound is significantly
 * above `margin` × the reference's share.
 */
export function latencySampleEvidence(
  arm: readonly TrafficWindow[],
  reference: NonNullable<TrafficWindow['latency']>,
  margin: number,
): LatencyEvidence | undefined {
  const cut = slowCut(reference.bounds, reference.counts)
  if (cut === undefined) return undefined
  const looks = slowLooks(arm, reference.bounds, cut)
  const sample = { x: whole(sum(reference.counts.slice(cut))), n: whole(sum(reference.counts)) }
  const slow = sum(looks.map((l) => l.x))
  const seen = sum(looks.map((l) => l.n))
  return {
    pValue: sequentialOddsAgainstSample(looks, sample, (share) => Math.min(1, share * margin))
      .pValue,
    subject: seen === 0 ? null : slow / seen,
    reference: sample.n === 0 ? null : sample.x / sample.n,
    bound: reference.bounds[cut - 1],
  }
}

/**
 * A p95 limit: the share of requests slower than the first histogram bound at or above
 * `limitS` is significantly above 5%. A bound above the limit only makes the test stricter
 * about failing, never looser.
 */
export function latencyLimitEvidence(
  arm: readonly TrafficWindow[],
  limitS: number,
): LatencyEvidence | undefined {
  const bounds = arm.find((w) => w.latency !== undefined)?.latency?.bounds
  if (bounds === undefined) return undefined
  const at = bounds.findIndex((b) => b >= limitS)
  if (at < 0 || !Number.isFinite(bounds[at])) return undefined
  const looks = slowLooks(arm, bounds, at + 1)
  const slow = sum(looks.map((l) => l.x))
  const seen = sum(looks.map((l) => l.n))
  return {
    pValue: sequentialOddsTest(looks.map((l) => ({ ...l, q0: SLOW_SHARE }))).pValue,
    subject: seen === 0 ? null : slow / seen,
    reference: SLOW_SHARE,
    bound: bounds[at],
  }
}

/** Each window's requests from bucket `cut` on, of all its requests (same bounds only). */
function slowLooks(
  arm: readonly TrafficWindow[],
  bounds: readonly number[],
  cut: number,
): { x: number; n: number }[] {
  return arm.flatMap((w) => {
    const h = w.latency
    if (h === undefined || !sameBounds(h.bounds, bounds)) return []
    return [{ x: whole(sum(h.counts.slice(cut))), n: whole(sum(h.counts)) }]
  })
}

/** The first bucket counted as slow: the highest cut leaving at least 5% of `counts` above it. */
function slowCut(bounds: readonly number[], counts: readonly number[]): number | undefined {
  const total = sum(counts)
  if (total === 0) return undefined
  let above = 0
  for (let i = bounds.length - 1; i >= 1; i--) {
    above += counts[i] ?? 0
    if (above / total >= SLOW_SHARE) return i
  }
  return undefined
}

function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

/** Errors per request over `arm`; null without requests. */
export function rateOf(arm: readonly TrafficWindow[]): number | null {
  const n = sum(arm.map((w) => w.requests))
  return n === 0 ? null : sum(arm.map((w) => w.errors)) / n
}

/** A count as a whole number: Prometheus' increase() extrapolates to fractions. */
export function whole(count: number): number {
  return Number.isFinite(count) && count > 0 ? Math.round(count) : 0
}

/** The sum of `values`. */
export function sum(values: readonly number[]): number {
  let total = 0
  for (const v of values) total += v
  return total
}
