/**
 * The q-quantile (0..1) of `values` with linear interpolation between closest ranks (type 7,
 * the default of R and NumPy). `null` for no values.
 */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  return quantileSorted(sorted, q)
}

/** {@link quantile} on values already sorted ascending. */
export function quantileSorted(sorted: readonly number[], q: number): number | null {
  const n = sorted.length
  if (n === 0) return null
  const h = (n - 1) * q
  const lo = Math.floor(h)
  const hi = Math.min(n - 1, lo + 1)
  const a = sorted[lo] as number
  const b = sorted[hi] as number
  return a + (h - lo) * (b - a)
}

/** Arithmetic mean; `null` for no values. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null
  return values.reduce((s, v) => s + v, 0) / values.length
}
