import type { Estimate } from '../../contracts/results.js'
import { wilson } from '../stats/intervals.js'
import { mcnemarExact } from '../stats/proportions.js'
import type { ABCase } from './types.js'

/*
 * Pairwise judge preference: per case, a judge compared A's and B's outputs in both orders.
 * B better in both orders is a win (1), worse in both a loss (0), anything else a tie (0.5).
 * The share of B's preference is estimated over every judged case; whether B is preferred is
 * the exact sign test of wins against losses, ties left out (they say nothing about direction).
 */

/** B's preference over A from a pairwise judge, over the cases it judged. */
export interface PreferenceMetric {
  /** Cases judged in both orders. */
  readonly cases: number
  /** B better in both orders. */
  readonly wins: number
  /** A better in both orders. */
  readonly losses: number
  /** A tie, or orders that disagreed. */
  readonly ties: number
  /**
   * (wins + ties / 2) / cases with the Wilson 95% interval at `cases`. With ties the interval is
   * conservative: a per-case value in [0, 1] with mean p has variance at most p(1 - p).
   */
  readonly share: Estimate
  /** share - 1/2, with the share's interval shifted: positive favours B. */
  readonly difference: Estimate
  /** Two-sided exact sign test of wins against losses (ties excluded); 1 without either. */
  readonly pValue: number
  /** SD of the per-case preferences (NaN below two cases), for the detectable effect. */
  readonly sdDifference: number
}

/**
 * Two-sided exact sign test: under H0 a non-tied case is a win with probability 1/2, so
 * p = min(1, 2 · Binom.cdf(min(wins, losses); wins + losses, 1/2)), which is McNemar's exact
 * test on the discordant counts (SciPy `binomtest(wins, wins + losses).pvalue`).
 */
export function signTest(wins: number, losses: number): number {
  return mcnemarExact(wins, losses).pValue
}

/** The preference metric over the cases that carry a judged `preference`; undefined if none. */
export function preferenceMetric(cases: readonly ABCase[]): PreferenceMetric | undefined {
  const values = cases.map((c) => c.preference).filter((p): p is number => p !== undefined)
  if (values.length === 0) return undefined
  const wins = values.filter((p) => p === 1).length
  const losses = values.filter((p) => p === 0).length
  const n = values.length
  const mean = values.reduce((s, p) => s + p, 0) / n
  const share = wilson(wins + (n - wins - losses) / 2, n)
  const sd = n < 2 ? NaN : Math.sqrt(values.reduce((s, p) => s + (p - mean) ** 2, 0) / (n - 1))
  return {
    cases: n,
    wins,
    losses,
    ties: n - wins - losses,
    share,
    difference: {
      value: share.value - 0.5,
      lower: share.lower - 0.5,
      upper: share.upper - 0.5,
      level: share.level,
    },
    pValue: signTest(wins, losses),
    sdDifference: sd,
  }
}

/** A case's preference as a judge pair's outcome: B better in both orders, A in both, or not. */
export function preferenceOf(outcome: 'b' | 'a' | 'tie'): number {
  return outcome === 'b' ? 1 : outcome === 'a' ? 0 : 0.5
}
