// Multiple-comparison adjustments: when a gate checks many metrics at once, adjusted p-values
// keep the chance of a false alarm (Holm) or the share of false alarms (Benjamini–Hochberg)
// at the nominal level.

/** Throws unless every p-value is a number in [0, 1]. */
function checkPValues(label: string, pValues: readonly number[]): void {
  pValues.forEach((p, i) => {
    if (!(p >= 0 && p <= 1))
      throw new RangeError(`${label}: pValues[${i}] must be between 0 and 1, got ${p}`)
  })
}

/** Indices of `pValues` ordered by ascending p-value. */
function ascendingOrder(pValues: readonly number[]): number[] {
  return pValues.map((_, i) => i).sort((i, j) => (pValues[i] as number) - (pValues[j] as number))
}

/**
 * Holm's step-down adjusted p-values, controlling the family-wise error rate (Holm 1979; as
 * statsmodels `multipletests(method='holm')`): the i-th smallest p (from 0) becomes
 * max over j <= i of (m - j)·p(j), capped at 1. Returned in input order; [] for no p-values.
 */
export function holm(pValues: readonly number[]): number[] {
  checkPValues('holm', pValues)
  const m = pValues.length
  const adjusted = new Array<number>(m)
  let running = 0
  ascendingOrder(pValues).forEach((index, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * (pValues[index] as number)))
    adjusted[index] = running
  })
  return adjusted
}

/**
 * Benjamini–Hochberg adjusted p-values (q-values), controlling the false discovery rate
 * (Benjamini & Hochberg 1995; as statsmodels `multipletests(method='fdr_bh')` and
 * `scipy.stats.false_discovery_control`): the i-th smallest p (from 1) becomes
 * min over j >= i of m·p(j)/j, capped at 1. Returned in input order; [] for no p-values.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  checkPValues('benjaminiHochberg', pValues)
  const m = pValues.length
  const order = ascendingOrder(pValues)
  const adjusted = new Array<number>(m)
  let running = 1
  for (let rank = m; rank >= 1; rank -= 1) {
    const index = order[rank - 1] as number
    running = Math.min(running, (m * (pValues[index] as number)) / rank)
    adjusted[index] = running
  }
  return adjusted
}
