// Sample ratio mismatch: did the arms receive the users the allocation planned? A mismatch
// means assignment or logging is broken (a crash in one arm, a bot filter, a sticky-bucketing
// bug), and no metric comparison can be trusted. Pearson's chi-square goodness of fit, at a
// strict alpha (0.001 by default, as Microsoft's ExP and Optimizely use) because the check runs
// at every look and a false alarm halts the experiment.
import { chiSquareGoodnessOfFit } from '../stats/tests.js'
import type { SrmCheck } from './types.js'

/**
 * The chi-square test of `users` per arm against `shares` (weights, any number of arms, same
 * order). Throws when lengths differ, a share is not positive, or no users arrived.
 */
export function sampleRatioMismatch(
  users: readonly number[],
  shares: readonly number[],
  alpha = 0.001,
): SrmCheck {
  if (users.length !== shares.length)
    throw new RangeError(`sampleRatioMismatch: ${users.length} arms but ${shares.length} shares`)
  shares.forEach((s, i) => {
    if (!(Number.isFinite(s) && s > 0))
      throw new RangeError(`sampleRatioMismatch: shares[${i}] must be > 0, got ${s}`)
  })
  const total = users.reduce((a, b) => a + b, 0)
  if (!(total > 0)) throw new RangeError('sampleRatioMismatch: no users yet; nothing to check')
  const weight = shares.reduce((a, b) => a + b, 0)
  const expected = shares.map((s) => (total * s) / weight)
  const { statistic, df, pValue } = chiSquareGoodnessOfFit(users, expected)
  return { statistic, df, pValue, expected, mismatch: pValue < alpha }
}
