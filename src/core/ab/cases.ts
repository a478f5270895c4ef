import type { ABCase, ABSample, LabelledSample } from './types.js'

/*
 * From samples to cases: pairing labelled samples by case, and each case's per-variant means.
 * Every test of the analysis works on these per-case means, so repeats of a case count once.
 */

/**
 * Groups labelled samples into cases paired by id: variant `a`'s samples and variant `b`'s.
 * Cases missing either variant are left out (nothing to pair), in first-seen order otherwise.
 */
export function pairByCase(samples: readonly LabelledSample[], a: string, b: string): ABCase[] {
  const byCase = new Map<string, { a: ABSample[]; b: ABSample[] }>()
  for (const s of samples) {
    if (s.variant !== a && s.variant !== b) continue
    let entry = byCase.get(s.caseId)
    if (entry === undefined) byCase.set(s.caseId, (entry = { a: [], b: [] }))
    ;(s.variant === a ? entry.a : entry.b).push(s)
  }
  return [...byCase]
    .filter(([, e]) => e.a.length > 0 && e.b.length > 0)
    .map(([id, e]) => ({ id, a: e.a, b: e.b }))
}

/** The mean of `pick` over a variant's samples, or undefined when no sample has it. */
export function sampleMean(
  samples: readonly ABSample[],
  pick: (s: ABSample) => number | undefined,
): number | undefined {
  let total = 0
  let n = 0
  for (const s of samples) {
    const v = pick(s)
    if (v === undefined) continue
    total += v
    n += 1
  }
  return n === 0 ? undefined : total / n
}

/** Per-case means of a metric for both variants, over the cases where both have it. */
export function pairedMeans(
  cases: readonly ABCase[],
  pick: (s: ABSample) => number | undefined,
): { a: number[]; b: number[] } {
  const a: number[] = []
  const b: number[] = []
  for (const c of cases) {
    const ma = sampleMean(c.a, pick)
    const mb = sampleMean(c.b, pick)
    if (ma === undefined || mb === undefined) continue
    a.push(ma)
    b.push(mb)
  }
  return { a, b }
}

/** A sample's pass as 0 or 1. */
export const passValue = (s: ABSample): number => (s.pass ? 1 : 0)
/** A sample's judge score. */
export const scoreValue = (s: ABSample): number | undefined => s.score
/** A sample's cost. */
export const costValue = (s: ABSample): number | undefined => s.costUsd
/** A sample's latency. */
export const latencyValue = (s: ABSample): number | undefined => s.latencyMs

/** Throws a RangeError naming the case when the input cannot be analysed. */
export function checkCases(label: string, cases: readonly ABCase[]): void {
  for (const c of cases) {
    if (c.a.length === 0 || c.b.length === 0)
      throw new RangeError(`${label}: case ${c.id} needs at least one sample of each variant`)
    if (c.preference !== undefined && !(c.preference >= 0 && c.preference <= 1))
      throw new RangeError(`${label}: case ${c.id} has a preference ${c.preference} outside [0, 1]`)
    for (const s of [...c.a, ...c.b]) {
      if (s.score !== undefined && !(s.score >= 0 && s.score <= 1))
        throw new RangeError(`${label}: case ${c.id} has a score ${s.score} outside [0, 1]`)
      if (s.costUsd !== undefined && !(s.costUsd >= 0))
        throw new RangeError(`${label}: case ${c.id} has a negative or invalid cost ${s.costUsd}`)
    }
  }
}
