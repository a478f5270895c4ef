/**
 * Seeded random draws for simulations with a known truth: binomial, multinomial, normal, gamma
 * and log-normal, on `seededRandom` (src/utils/random.ts). Exact algorithms, not
 * approximations, since the simulations measure tail rates of 1% and below.
 */
import type { Random } from '../../src/contracts/clock.js'
import { normalCdf } from '../../src/core/stats/distributions.js'

/** Standard normal (Box–Muller; the second deviate is dropped for simplicity). */
export function normal(random: Random): number {
  let u = random()
  while (u === 0) u = random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
}

/**
 * Binomial(n, p), exactly, by inversion from the mode: the pmf is walked outward from the mode
 * (m, m−1, m+1, m−2, …) until it has covered a uniform draw, so a draw takes O(√(np(1−p)))
 * steps whatever n is.
 */
export function binomial(random: Random, n: number, p: number): number {
  if (p <= 0 || n <= 0) return 0
  if (p >= 1) return n
  const mode = Math.min(n, Math.floor((n + 1) * p))
  const logPmf = (k: number) =>
    logGamma(n + 1) -
    logGamma(k + 1) -
    logGamma(n - k + 1) +
    k * Math.log(p) +
    (n - k) * Math.log1p(-p)
  const atMode = Math.exp(logPmf(mode))
  const ratio = p / (1 - p)
  let u = random() - atMode
  if (u < 0) return mode
  let down = mode
  let up = mode
  let pDown = atMode
  let pUp = atMode
  for (;;) {
    if (down > 0) {
      pDown *= down / (n - down + 1) / ratio
      down -= 1
      u -= pDown
      if (u < 0) return down
    }
    if (up < n) {
      pUp *= ((n - up) / (up + 1)) * ratio
      up += 1
      u -= pUp
      if (u < 0) return up
    }
    if (down === 0 && up === n) return mode
  }
}

/** log Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; about 1e-15 relative). */
function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x)
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ]
  const z = x - 1
  let a = c[0] as number
  const t = z + 7.5
  for (let i = 1; i < 9; i++) a += (c[i] as number) / (z + i)
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a)
}

/** Multinomial(n, shares): the count in each category, by conditional binomials. */
export function multinomial(random: Random, n: number, shares: readonly number[]): number[] {
  let left = n
  let mass = 1
  return shares.map((share, i) => {
    if (i === shares.length - 1) return left
    const k = mass <= 0 ? 0 : binomial(random, left, Math.min(1, Math.max(0, share / mass)))
    left -= k
    mass -= share
    return k
  })
}

/** Gamma(shape, scale) by Marsaglia & Tsang (2000), with the boost for shape < 1. */
export function gamma(random: Random, shape: number, scale: number): number {
  if (shape < 1) return gamma(random, shape + 1, scale) * random() ** (1 / shape)
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    let x: number
    let v: number
    do {
      x = normal(random)
      v = 1 + c * x
    } while (v <= 0)
    v = v * v * v
    const u = random()
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
      return d * v * scale
    }
  }
}

/** The share of a log-normal(mu, sigma) below each bound (the last bound may be Infinity). */
export function logNormalShares(bounds: readonly number[], mu: number, sigma: number): number[] {
  let below = 0
  return bounds.map((bound) => {
    const cdf = bound === Infinity ? 1 : normalCdf((Math.log(bound) - mu) / sigma)
    const share = Math.max(0, cdf - below)
    below = cdf
    return share
  })
}
