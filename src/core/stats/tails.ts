// p-values and confidence bounds for statistics with a symmetric null distribution (normal, t),
// shared so every test treats `alternative` the same way SciPy does.
import type { Alternative } from './types.js'

/**
 * p-value of `statistic` given the upper-tail function `sf` of its symmetric null
 * distribution: two-sided 2·sf(|x|), `greater` sf(x), `less` sf(-x). NaN stays NaN.
 */
export function symmetricPValue(
  statistic: number,
  alternative: Alternative,
  sf: (x: number) => number,
): number {
  switch (alternative) {
    case 'two-sided':
      return Math.min(1, 2 * sf(Math.abs(statistic)))
    case 'greater':
      return sf(statistic)
    case 'less':
      return sf(-statistic)
  }
}

/**
 * Confidence bounds `value ± q·se` at `level`, where `quantile` is the null distribution's
 * quantile function. One-sided alternatives give one-sided bounds, as SciPy's
 * `confidence_interval()` does: `greater` bounds from below only, `less` from above only.
 */
export function symmetricBounds(
  value: number,
  se: number,
  level: number,
  alternative: Alternative,
  quantile: (p: number) => number,
): { lower: number; upper: number } {
  switch (alternative) {
    case 'two-sided': {
      const half = quantile((1 + level) / 2) * se
      return { lower: value - half, upper: value + half }
    }
    case 'greater':
      return { lower: value - quantile(level) * se, upper: Infinity }
    case 'less':
      return { lower: -Infinity, upper: value + quantile(level) * se }
  }
}
