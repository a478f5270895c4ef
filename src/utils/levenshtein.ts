/**
 * Levenshtein edit distance between two strings, counted in Unicode code points (an emoji is
 * one character, as a reader counts it). With `max`, stops as soon as the distance is known to
 * exceed it and returns `max + 1`: only a band of `2·max + 1` cells per row is computed, so a
 * bounded comparison of long texts is linear. Memory is one row of the shorter string.
 */
export function levenshtein(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  let x = codePoints(a)
  let y = codePoints(b)
  // The common prefix and suffix cost nothing; near-identical texts are the usual case.
  let start = 0
  while (start < x.length && start < y.length && x[start] === y[start]) start++
  let endX = x.length
  let endY = y.length
  while (endX > start && endY > start && x[endX - 1] === y[endY - 1]) {
    endX--
    endY--
  }
  x = x.subarray(start, endX)
  y = y.subarray(start, endY)
  if (x.length > y.length) [x, y] = [y, x]
  if (y.length - x.length > max) return max + 1
  if (x.length === 0) return y.length
  return banded(x, y, max)
}

/** The distance of x (the shorter) and y, computing only cells within `max` of the diagonal. */
function banded(x: Uint32Array, y: Uint32Array, max: number): number {
  const n = x.length
  const row = new Uint32Array(n + 1)
  const big = Math.min(max + 1, 0xffffffff)
  for (let i = 0; i <= n; i++) row[i] = Math.min(i, big)
  for (let j = 1; j <= y.length; j++) {
    const from = Math.max(1, j - max)
    const to = Math.min(n, j + max)
    // row[i] holds D(i, j-1) before the update; `diagonal` is D(i-1, j-1).
    let diagonal = row[from - 1] as number
    row[from - 1] = from - 1 === 0 ? Math.min(j, big) : big
    let best = row[from - 1] as number
    const yj = y[j - 1]
    for (let i = from; i <= to; i++) {
      const up = row[i] as number
      const left = row[i - 1] as number
      // Comparisons, not Math.min: this loop is the whole cost.
      let value = x[i - 1] === yj ? diagonal : diagonal + 1
      if (up + 1 < value) value = up + 1
      if (left + 1 < value) value = left + 1
      if (value > big) value = big
      diagonal = up
      row[i] = value
      if (value < best) best = value
    }
    if (to < n) row[to + 1] = big
    if (best > max) return max + 1
  }
  return Math.min(row[n] as number, big)
}

function codePoints(text: string): Uint32Array {
  const points = new Uint32Array(text.length)
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i) as number
    points[n++] = code
    if (code > 0xffff) i++
  }
  return points.subarray(0, n)
}
