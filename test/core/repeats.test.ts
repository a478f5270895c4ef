import { describe, expect, it } from 'vitest'
import { casePasses, passAtK, passHatK } from '../../src/core/eval/repeats.js'

/** C(n, k) by the multiplicative formula, exact for the small numbers used here. */
function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0
  let c = 1
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i
  return c
}

describe('pass@k and pass^k', () => {
  it('agree with the binomial-coefficient definitions', () => {
    for (let n = 1; n <= 12; n++) {
      for (let c = 0; c <= n; c++) {
        for (let k = 1; k <= n; k++) {
          expect(passAtK(n, c, k)).toBeCloseTo(1 - choose(n - c, k) / choose(n, k), 12)
          expect(passHatK(n, c, k)).toBeCloseTo(choose(c, k) / choose(n, k), 12)
        }
      }
    }
  })

  it('are the plain pass rate at k = 1 and any/all at k = n', () => {
    expect(passAtK(10, 3, 1)).toBeCloseTo(0.3, 12)
    expect(passHatK(10, 3, 1)).toBeCloseTo(0.3, 12)
    expect(passAtK(5, 1, 5)).toBe(1)
    expect(passHatK(5, 4, 5)).toBe(0)
    expect(passHatK(5, 5, 5)).toBe(1)
  })

  it('is stable for large n (Chen et al.’s product form)', () => {
    // 1 − C(900, 10) / C(1000, 10), by logs.
    let log = 0
    for (let i = 0; i < 10; i++) log += Math.log(900 - i) - Math.log(1000 - i)
    expect(passAtK(1000, 100, 10)).toBeCloseTo(1 - Math.exp(log), 12)
  })

  it('is undefined when fewer than k samples ran', () => {
    expect(passAtK(2, 1, 3)).toBeUndefined()
    expect(passHatK(2, 1, 3)).toBeUndefined()
    expect(passAtK(3, 1, 0)).toBeUndefined()
  })
})

describe('casePasses', () => {
  it.each([
    ['all', 3, 3, true],
    ['all', 2, 3, false],
    ['majority', 2, 3, true],
    ['majority', 2, 4, false],
    [0.5, 2, 4, true],
    [0.8, 3, 4, false],
    ['all', 0, 0, false],
  ] as const)('%s with %i of %i passing is %s', (rule, passed, samples, expected) => {
    expect(casePasses(passed, samples, rule)).toBe(expected)
  })
})
