import { incompleteBeta, logBetaPowerTerm } from './incomplete-beta.js'
import { logBeta } from './log-gamma.js'

/** The two parts of the t distribution on either side of x >= 0. */
export interface TParts {
  /** P(T >= x). */
  readonly tail: number
  /** P(0 <= T <= x) = 1/2 - tail, computed directly so it is exact near x = 0. */
  readonly central: number
  /** ln(x·f(x)), f the density: the derivative of the tail against ln x, used by the quantile. */
  readonly logXDensity: number
}

/**
 * z = df/(df + x²) and y = x²/(df + x²), each computed without forming 1 - the other and without
 * overflowing x² for |x| up to the largest double.
 */
function betaArguments(x: number, df: number): { z: number; y: number } {
  if (x < 1) {
    const x2 = x * x
    return { z: df / (df + x2), y: x2 / (df + x2) }
  }
  const r = df / x
  return { z: r / (r + x), y: x / (r + x) }
}

/** Beyond this |x|, z = df/(df + x²) may underflow and the tail is its leading term. */
const HUGE_X = 1e100

/**
 * The tail for x > 1e100: I_z(a, 1/2) = z^a / (a B(a, 1/2)) · (1 + O(z)) with z = df/x² below
 * 1e-190, taken in logs because z itself may be below the smallest double.
 */
function farTail(x: number, df: number): TParts {
  const a = df / 2
  // z^a = (√df / x)^df by Math.pow (exact to the last bit) unless that underflows.
  const direct = Math.pow(Math.sqrt(df) / x, df) / Math.exp(logBeta(a, 0.5))
  const logPower =
    direct > 1e-305 ? Math.log(direct) : a * (Math.log(df) - 2 * Math.log(x)) - logBeta(a, 0.5)
  const tail = (direct > 1e-305 ? direct : Math.exp(logPower)) / (2 * a)
  return { tail, central: 0.5 - tail, logXDensity: logPower }
}

/**
 * The t distribution's upper tail and central part at x >= 0 with df > 0 degrees of freedom via
 * P(|T| >= x) = I_z(df/2, 1/2), z = df/(df + x²) (Abramowitz & Stegun 26.7.1), both sides of the
 * incomplete beta kept to full relative precision.
 */
export function tParts(x: number, df: number): TParts {
  if (x > HUGE_X) return farTail(x, df)
  const { z, y } = betaArguments(x, df)
  const { lower, upper } = incompleteBeta(df / 2, 0.5, z, y)
  // d/dx I_z(df/2, 1/2) = -2 z^(df/2) y^(1/2) / (x B(df/2, 1/2)), so x·f(x) is the power term.
  return { tail: lower / 2, central: upper / 2, logXDensity: logBetaPowerTerm(df / 2, 0.5, z, y) }
}

/** Student t P(T <= x) with df > 0 (real) degrees of freedom; see `tParts`. */
export function studentTCdf(x: number, df: number): number {
  if (Number.isNaN(x) || Number.isNaN(df) || df <= 0) return Number.NaN
  if (x === 0) return 0.5
  if (x === Infinity) return 1
  if (x === -Infinity) return 0
  const { tail } = tParts(Math.abs(x), df)
  return x < 0 ? tail : 1 - tail
}
