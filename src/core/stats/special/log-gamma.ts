/** ln(2π)/2. */
const HALF_LOG_TWO_PI = 0.9189385332046728
/** Below this the Stirling series is not used directly: the argument is shifted up first. */
export const STIRLING_MIN = 10

/**
 * Remainder of Stirling's series, lnΓ(x) - [(x - 1/2)ln x - x + ln(2π)/2], for x >= 10: the
 * asymptotic series Σ B_2k / (2k(2k-1) x^(2k-1)) to k = 7 (error below 1e-16 at x = 10).
 */
export function stirlingError(x: number): number {
  const r = 1 / (x * x)
  const series =
    1 / 12 +
    r *
      (-1 / 360 + r * (1 / 1260 + r * (-1 / 1680 + r * (1 / 1188 + r * (-691 / 360360 + r / 156)))))
  return series / x
}

/**
 * ln Γ(x) for x > 0: Stirling's series with `stirlingError` at x >= 10, and the recurrence
 * Γ(x) = Γ(x + n) / (x(x+1)...(x+n-1)) below. Absolute error about 1e-15 for moderate x.
 */
export function logGamma(x: number): number {
  if (Number.isNaN(x) || x <= 0) return Number.NaN
  if (x === Infinity) return Infinity
  let product = 1
  let z = x
  while (z < STIRLING_MIN) {
    product *= z
    z += 1
  }
  return (z - 0.5) * Math.log(z) - z + HALF_LOG_TWO_PI + stirlingError(z) - Math.log(product)
}

/**
 * ln(1 + u) - u for u > -1, without the cancellation of the two terms near u = 0: for |u| <= 1/2
 * it uses ln(1 + u) = 2 atanh(s), s = u / (2 + u), so the result is -u s + 2(s³/3 + s⁵/5 + ...).
 */
export function log1pmx(u: number): number {
  if (Math.abs(u) > 0.5) return Math.log1p(u) - u
  const s = u / (2 + u)
  const s2 = s * s
  let power = 2 * s * s2
  let sum = 0
  for (let k = 3; k < 200; k += 2) {
    const term = power / k
    sum += term
    if (Math.abs(term) <= Number.EPSILON * Math.abs(sum)) break
    power *= s2
  }
  return -u * s + sum
}

/**
 * a (ln r - (r - 1)) for a ratio r = x / x0 > 0 computed directly from x, so that r near 0 keeps
 * its precision: the exponent of x^a against its value at the mode, as in Temme's and DiDonato &
 * Morris's treatment of the incomplete gamma and beta functions for large parameters.
 */
export function scaledLog1pmx(a: number, r: number): number {
  const u = r - 1
  return a * (Math.abs(u) <= 0.5 ? log1pmx(u) : Math.log(r) - u)
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) - ln Γ(a + b) for a, b > 0. When a parameter is at least 10 the
 * large Γ terms are combined analytically (Stirling), so ln B keeps its absolute precision even
 * when ln Γ(a) itself is huge (a = 5e9 for a t distribution with 1e10 degrees of freedom).
 */
export function logBeta(a: number, b: number): number {
  const big = Math.max(a, b)
  const small = Math.min(a, b)
  if (big < STIRLING_MIN) return logGamma(a) + logGamma(b) - logGamma(a + b)
  const c = a + b
  const correction = stirlingError(c) - stirlingError(big)
  if (small < STIRLING_MIN) {
    // ln Γ(big) - ln Γ(c) = -small ln big - (c - 1/2) ln(1 + small/big) + small + correction.
    const ratio = -small * Math.log(big) - (c - 0.5) * Math.log1p(small / big) + small
    return logGamma(small) + ratio - correction
  }
  const logInverse =
    big * Math.log1p(small / big) +
    small * Math.log(c / small) +
    0.5 * (Math.log(small) + Math.log(big) - Math.log(c)) -
    HALF_LOG_TWO_PI +
    correction -
    stirlingError(small)
  return -logInverse
}
