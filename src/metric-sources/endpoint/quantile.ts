/** Quantiles of a Prometheus histogram, computed exactly as PromQL's `histogram_quantile`. */

/** A cumulative bucket: observations at or below `upperBound`. */
export interface Bucket {
  readonly upperBound: number
  readonly count: number
}

/**
 * The `q` quantile (0–1) of a histogram: the bucket holding the rank `q × total`, with linear
 * interpolation inside it (from 0 for the first bucket). A rank in the `+Inf` bucket gives the
 * highest finite bound. `null` without observations or without a `+Inf` bucket.
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number | null {
  const sorted = [...buckets].sort((a, b) => a.upperBound - b.upperBound)
  const last = sorted[sorted.length - 1]
  if (sorted.length < 2 || last === undefined || last.upperBound !== Infinity) return null
  const total = last.count
  if (total <= 0) return null
  const rank = q * total
  const b = sorted.findIndex((bucket) => bucket.count >= rank)
  const bucket = sorted[b] as Bucket
  if (b === sorted.length - 1) return (sorted[b - 1] as Bucket).upperBound
  if (b === 0 && bucket.upperBound <= 0) return bucket.upperBound
  const previous = b === 0 ? { upperBound: 0, count: 0 } : (sorted[b - 1] as Bucket)
  const inBucket = bucket.count - previous.count
  if (inBucket <= 0) return bucket.upperBound
  return (
    previous.upperBound +
    (bucket.upperBound - previous.upperBound) * ((rank - previous.count) / inBucket)
  )
}
