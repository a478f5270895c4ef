import type { SuiteDelta } from '../../contracts/gate.js'
import type { CaseResult, SuiteResult } from '../../contracts/results.js'
import { boundedPairedDifference } from '../stats/intervals.js'
import { pairedProportionDifference } from '../stats/paired-proportions.js'
import { mcnemarExact } from '../stats/proportions.js'
import { pairedTTest } from '../stats/tests.js'

/*
 * How a suite moved between two runs, cases paired by id: the figures the gate checks and
 * `shipgate compare` shows.
 */

/** Cases present in both runs with samples in both, paired by id: [current, baseline]. */
export function pairCases(now: SuiteResult, then: SuiteResult): [CaseResult, CaseResult][] {
  const old = new Map(then.cases.filter((c) => c.samples.length > 0).map((c) => [c.id, c]))
  const pairs: [CaseResult, CaseResult][] = []
  for (const c of now.cases) {
    const match = old.get(c.id)
    if (match !== undefined && c.samples.length > 0) pairs.push([c, match])
  }
  return pairs
}

/** A case's mean sample score. */
export function caseScore(c: CaseResult): number {
  return c.samples.reduce((s, x) => s + x.score, 0) / c.samples.length
}

/** How `now` moved against `then` over the paired cases. */
export function suiteDelta(
  now: SuiteResult,
  then: SuiteResult,
  pairs: [CaseResult, CaseResult][],
): SuiteDelta {
  const passNow = pairs.map(([c]) => c.passRate)
  const passThen = pairs.map(([, c]) => c.passRate)
  let b = 0
  let c = 0
  for (const [x, y] of pairs) {
    if (y.pass && !x.pass) b += 1
    if (!y.pass && x.pass) c += 1
  }
  const scoreNow = pairs.map(([x]) => caseScore(x))
  const scoreThen = pairs.map(([, y]) => caseScore(y))
  return {
    suite: now.name,
    pairedCases: pairs.length,
    passRate: {
      baseline: mean(passThen),
      current: mean(passNow),
      difference: passRateDifference(passNow, passThen),
      pValue: mcnemarExact(b, c).pValue,
    },
    score: {
      baseline: mean(scoreThen),
      current: mean(scoreNow),
      difference: boundedPairedDifference(scoreNow, scoreThen, { min: 0, max: 1 }),
    },
    costPerCase: change(now.stats.costUsd.perCase, then.stats.costUsd.perCase),
    latencyP95: change(now.stats.latencyMs.p95, then.stats.latencyMs.p95),
  }
}

/**
 * The paired difference of per-case pass rates with Tango's score interval: a case that went
 * from failing to passing counts as gained, the reverse as lost; with repeats, the share of
 * passing samples that moved counts, so the counts may be fractional.
 */
function passRateDifference(now: number[], then: number[]) {
  let gained = 0
  let lost = 0
  now.forEach((x, i) => {
    const d = x - (then[i] as number)
    if (d > 0) gained += d
    else lost -= d
  })
  return pairedProportionDifference(gained, lost, now.length)
}

/** Two-sided p-value of a paired t-test of the per-case scores; 1 when undefined. */
export function scorePValue(pairs: [CaseResult, CaseResult][]): number {
  const p = pairedTTest(
    pairs.map(([x]) => caseScore(x)),
    pairs.map(([, y]) => caseScore(y)),
  ).pValue
  return Number.isNaN(p) ? 1 : p
}

/** A value before and after, with the relative change in % (`null` when not computable). */
export function change(now: number | null, then: number | null) {
  const changePct = now === null || then === null || then === 0 ? null : ((now - then) / then) * 100
  return { baseline: then, current: now, changePct }
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((s, v) => s + v, 0) / values.length
}
