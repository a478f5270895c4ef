// Argument checks shared by the statistics module. Each throws a RangeError whose message names
// the function and argument (`label`, e.g. "welchTTest: a") and says what was wrong.
import type { Alternative } from './types.js'

/** Throws unless `values` has at least `min` entries, all finite numbers. */
export function checkSample(label: string, values: readonly number[], min: number): void {
  if (values.length < min)
    throw new RangeError(`${label} needs at least ${min} value(s), got ${values.length}`)
  const bad = values.findIndex((v) => !Number.isFinite(v))
  if (bad >= 0) throw new RangeError(`${label}[${bad}] must be a finite number, got ${values[bad]}`)
}

/** Throws unless `x` is a finite number. */
export function checkFinite(label: string, x: number): void {
  if (!Number.isFinite(x)) throw new RangeError(`${label} must be a finite number, got ${x}`)
}

/** Throws unless `x` is a non-negative integer (a count). */
export function checkCount(label: string, x: number): void {
  if (!Number.isInteger(x) || x < 0)
    throw new RangeError(`${label} must be a non-negative integer count, got ${x}`)
}

/** Throws unless `x` is strictly between 0 and 1 (a confidence level, alpha or power). */
export function checkOpenUnit(label: string, x: number): void {
  if (!(x > 0 && x < 1)) throw new RangeError(`${label} must be strictly between 0 and 1, got ${x}`)
}

/** Throws unless `x` is in [0, 1] (a probability or rate). */
export function checkProbability(label: string, x: number): void {
  if (!(x >= 0 && x <= 1)) throw new RangeError(`${label} must be between 0 and 1, got ${x}`)
}

/** Throws unless `x` is a finite number greater than 0. */
export function checkPositive(label: string, x: number): void {
  if (!(Number.isFinite(x) && x > 0))
    throw new RangeError(`${label} must be a finite number greater than 0, got ${x}`)
}

const ALTERNATIVES: readonly string[] = ['two-sided', 'greater', 'less'] satisfies Alternative[]

/** Throws unless `alternative` is one of the three names (callers may come from untyped config). */
export function checkAlternative(label: string, alternative: string): void {
  if (!ALTERNATIVES.includes(alternative))
    throw new RangeError(
      `${label} must be 'two-sided', 'greater' or 'less', got ${JSON.stringify(alternative)}`,
    )
}
