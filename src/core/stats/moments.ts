/** Mean and unbiased variance (divisor n - 1; NaN for one value) of a non-empty sample. */
export function sampleMoments(values: readonly number[]): { mean: number; variance: number } {
  const n = values.length
  let total = 0
  for (const v of values) total += v
  const mean = total / n
  let squares = 0
  for (const v of values) squares += (v - mean) * (v - mean)
  return { mean, variance: n < 2 ? NaN : squares / (n - 1) }
}

/** Element-wise a[i] - b[i]; throws a RangeError naming `label` when the lengths differ. */
export function pairedDifferences(
  label: string,
  a: readonly number[],
  b: readonly number[],
): number[] {
  if (a.length !== b.length)
    throw new RangeError(
      `${label}: a and b must be paired (same length), got ${a.length} and ${b.length}`,
    )
  return a.map((v, i) => v - (b[i] as number))
}
