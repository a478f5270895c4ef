/**
 * The pairwise decision (`--primary pairwise`) measured like a classifier: seeded simulations
 * with a known truth.
 * - A fake judge: each case is truly better on B's side with probability `bBetter`, on A's with
 *   `aBetter`, else the two answers are equally good. Each call sees the answers in one order;
 *   with probability `bias` it picks the first answer shown whatever it says (position bias),
 *   else it picks the truly better one with probability 0.85 (a coin flip when they are
 *   equal). Every case is judged in both orders, as `ab --pairwise` does.
 * - Decisions: 1,000 runs per setting; the false-winner rate where A and B are equally good (with
 *   and without position bias) and the power where B is better.
 * The table is rendered here and must match docs/ab.md (SHIPGATE_WRITE_TABLES=1 rewrites it).
 */
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { Random } from '../../../src/contracts/clock.js'
import type { ABCase } from '../../../src/core/ab/index.js'
import { analyzeAB, preferenceOf } from '../../../src/core/ab/index.js'
import { seededRandom } from '../../../src/utils/random.js'
import { checkDocTable } from '../../helpers/doc-tables.js'

const RUNS = 1000
const ACCURACY = 0.85
const SAME = [{ pass: true, costUsd: 0.01 }]

/** The truth of a setting: how often each side is better, and the judge's position bias. */
interface Truth {
  readonly bBetter: number
  readonly aBetter: number
  readonly bias: number
}

/** Which answer one judge call picks, shown `first` then the other. */
function pick(random: Random, better: 'a' | 'b' | null, first: 'a' | 'b', bias: number) {
  if (random() < bias) return first
  if (better === null) return random() < 0.5 ? 'a' : 'b'
  const other = better === 'a' ? 'b' : 'a'
  return random() < ACCURACY ? better : other
}

/** `n` cases judged in both orders by the fake judge. */
function judgedRun(random: Random, n: number, truth: Truth): ABCase[] {
  return Array.from({ length: n }, (_, i) => {
    const u = random()
    const better = u < truth.bBetter ? 'b' : u < truth.bBetter + truth.aBetter ? 'a' : null
    const abOrder = pick(random, better, 'a', truth.bias)
    const baOrder = pick(random, better, 'b', truth.bias)
    const outcome = abOrder === baOrder ? abOrder : 'tie'
    return { id: `c${i}`, a: SAME, b: SAME, preference: preferenceOf(outcome) }
  })
}

/** How often `RUNS` analyses deciding on the preference named A, B or no winner. */
function decisions(seed: number, n: number, truth: Truth) {
  const random = seededRandom(seed)
  const named = { A: 0, B: 0, none: 0 }
  for (let k = 0; k < RUNS; k++) {
    const result = analyzeAB(judgedRun(random, n, truth), { primary: 'pairwise', plannedCases: n })
    named[result.decision.winner ?? 'none'] += 1
  }
  return { A: named.A / RUNS, B: named.B / RUNS, none: named.none / RUNS }
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`

describe('the pairwise decision on a seeded fake judge', () => {
  it('names a winner among equals in about 5% of runs at most, biased judge or not, and finds a better B', () => {
    const equal = { bBetter: 0.2, aBetter: 0.2, bias: 0 }
    const better = { bBetter: 0.35, aBetter: 0.15, bias: 0 }
    const settings = [
      { label: 'equal, 100 cases', n: 100, truth: equal },
      { label: 'equal, 300 cases', n: 300, truth: equal },
      { label: 'equal, biased judge, 300 cases', n: 300, truth: { ...equal, bias: 0.4 } },
      { label: 'B better on 35% vs A on 15%, 100 cases', n: 100, truth: better },
      { label: 'B better on 35% vs A on 15%, 300 cases', n: 300, truth: better },
      { label: 'the same, biased judge, 300 cases', n: 300, truth: { ...better, bias: 0.4 } },
      {
        label: 'B better on 30% vs A on 20%, 1,000 cases',
        n: 1000,
        truth: { ...equal, bBetter: 0.3 },
      },
    ]
    const measured = settings.map((s, i) => ({ ...s, ...decisions(23_001 + i, s.n, s.truth) }))
    const [equal100, equal300, equalBiased, , power300, powerBiased, small] = measured
    checkDocTable(fileURLToPath(new URL('../../../docs/ab.md', import.meta.url)), 'pairwise', [
      '| setting | names B | names A | no winner |',
      '| --- | --- | --- | --- |',
      ...measured.map((m) => `| ${m.label} | ${pct(m.B)} | ${pct(m.A)} | ${pct(m.none)} |`),
    ])
    for (const same of [equal100!, equal300!, equalBiased!]) {
      // The exact sign test's size is at most alpha; 0.06 allows the simulation's error
      // (two standard errors of a 5% rate over 1,000 runs are 1.4 points).
      expect(same.A + same.B).toBeLessThanOrEqual(0.06)
    }
    expect(power300!.B).toBeGreaterThanOrEqual(0.8)
    expect(small!.B).toBeGreaterThanOrEqual(0.75)
    // Position bias turns verdicts into ties: the test stays honest but loses power.
    expect(powerBiased!.B).toBeLessThan(power300!.B)
    for (const m of measured.slice(3)) expect(m.A).toBeLessThanOrEqual(0.01)
  }, 120_000)
})
