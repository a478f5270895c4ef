import type { CasePassRule } from '../../contracts/results.js'

/**
 * Unbiased pass@k of one case from `n` samples of which `c` passed: the chance that at least
 * one of k samples drawn without replacement passes, 1 − C(n−c, k) / C(n, k) (Chen et al. 2021,
 * "Evaluating Large Language Models Trained on Code"), computed as a product to stay exact for
 * large n. `undefined` when fewer than k samples ran.
 */
export function passAtK(n: number, c: number, k: number): number | undefined {
  if (k < 1 || n < k) return undefined
  if (n - c < k) return 1
  let allFail = 1
  for (let i = n - c + 1; i <= n; i++) allFail *= 1 - k / i
  return 1 - allFail
}

/**
 * Unbiased pass^k of one case: the chance that all of k samples drawn without replacement pass,
 * C(c, k) / C(n, k) (Yao et al. 2024, "τ-bench"). `undefined` when fewer than k samples ran.
 */
export function passHatK(n: number, c: number, k: number): number | undefined {
  if (k < 1 || n < k) return undefined
  let all = 1
  for (let i = 0; i < k; i++) all *= (c - i) / (n - i)
  return Math.max(0, all)
}

/** Whether a case with `passed` of `samples` passing samples passes under `rule`. */
export function casePasses(passed: number, samples: number, rule: CasePassRule): boolean {
  if (samples === 0) return false
  if (rule === 'all') return passed === samples
  if (rule === 'majority') return passed * 2 > samples
  return passed / samples >= rule
}
