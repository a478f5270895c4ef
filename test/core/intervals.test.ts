import { describe, expect, it } from 'vitest'
import { wilson } from '../../src/core/stats/intervals.js'

describe('wilson', () => {
  it('matches the textbook 95% interval for 8/10', () => {
    const e = wilson(8, 10)
    expect(e.lower).toBeCloseTo(0.4902, 4)
    expect(e.upper).toBeCloseTo(0.9433, 4)
  })
})
