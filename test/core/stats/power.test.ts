import { describe, expect, it } from 'vitest'
import { normalMde, normalPower, normalSampleSize } from '../../../src/core/stats/power.js'
import {
  cohensD,
  cohensH,
  meanMde,
  meanPower,
  meanSampleSize,
  proportionMde,
  proportionPower,
  proportionSampleSize,
} from '../../../src/core/stats/power-effects.js'

describe('normal power', () => {
  it('gives the textbook sample size: d = 0.5 at 80% power needs ~63 per group', () => {
    // 2·((1.959964 + 0.841621) / 0.5)^2 = 62.79 ignoring the far tail, which adds ~1e-6.
    expect(normalSampleSize(0.5, 0.8)).toBeCloseTo(62.7908840746096, 8)
  })

  it('solves its own equations: power(sampleSize) and power(mde) return the target', () => {
    const n = normalSampleSize(0.3, 0.9, { alpha: 0.01 })
    expect(normalPower(0.3, n, { alpha: 0.01 })).toBeCloseTo(0.9, 12)
    const d = normalMde(250, 0.8, { design: 'one-sample' })
    expect(normalPower(d, 250, { design: 'one-sample' })).toBeCloseTo(0.8, 12)
  })

  it('needs half the paired sample size of two groups for the same d', () => {
    expect(normalSampleSize(0.4, 0.8, { design: 'one-sample' })).toBeCloseTo(
      normalSampleSize(0.4, 0.8) / 2,
      9,
    )
  })

  it('gives alpha at zero effect and Infinity as the size for it', () => {
    expect(normalPower(0, 100)).toBeCloseTo(0.05, 14)
    expect(normalSampleSize(0, 0.8)).toBe(Infinity)
  })

  it('is symmetric in the sign of the effect', () => {
    expect(normalPower(-0.3, 50)).toBeCloseTo(normalPower(0.3, 50), 15)
  })

  it('rejects plans that make no sense', () => {
    expect(() => normalPower(0.3, 0)).toThrow(RangeError)
    expect(() => normalPower(0.3, 0)).toThrow(
      new RangeError('normalPower: n must be a finite number greater than 0, got 0'),
    )
    expect(() => normalSampleSize(0.3, 0.04)).toThrow(
      'normalSampleSize: power (0.04) must exceed alpha (0.05)',
    )
    expect(() => normalMde(10, 1)).toThrow('normalMde: power must be strictly between 0 and 1')
    expect(() => normalPower(0.3, 10, { alpha: 0 })).toThrow('normalPower: alpha must be')
    expect(() => normalPower(NaN, 10)).toThrow('normalPower: effectSize must be a finite number')
    expect(() => normalPower(0.3, 10, { design: 'paired' as unknown as 'one-sample' })).toThrow(
      `normalPower: design must be 'two-sample' or 'one-sample', got "paired"`,
    )
  })
})

describe('proportion power', () => {
  it("uses Cohen's h", () => {
    expect(cohensH(0.5, 0.5)).toBe(0)
    expect(cohensH(1, 0)).toBeCloseTo(Math.PI, 15)
    expect(proportionPower(0.9, 0.8, 200)).toBeCloseTo(0.8100227305948752, 12)
    expect(proportionSampleSize(0.9, 0.8, 0.8)).toBeCloseTo(194.9080845969291, 8)
  })

  it('maps the detectable h back to a rate below or above the baseline', () => {
    const down = proportionMde(0.8, 200, 0.8)
    expect(down.rate).toBeLessThan(0.8)
    expect(down.difference).toBeCloseTo(down.rate - 0.8, 15)
    expect(proportionPower(down.rate, 0.8, 200)).toBeCloseTo(0.8, 10)
    const up = proportionMde(0.5, 100, 0.9, { direction: 'increase' })
    expect(up.effectSize).toBeGreaterThan(0)
    expect(up.rate).toBeGreaterThan(0.5)
  })

  it('gives NaN when the detectable rate would leave [0, 1]', () => {
    const r = proportionMde(0.02, 10, 0.8)
    expect(r.rate).toBeNaN()
    expect(r.difference).toBeNaN()
    expect(r.effectSize).toBeLessThan(0)
  })

  it('rejects rates outside [0, 1]', () => {
    expect(() => cohensH(1.2, 0.5)).toThrow('cohensH: p1 must be between 0 and 1, got 1.2')
    expect(() => proportionMde(-0.1, 10, 0.8)).toThrow('proportionMde: baseline must be between')
  })
})

describe('mean power', () => {
  it('takes a raw difference with its sd or a d', () => {
    expect(cohensD({ difference: 0.1, sd: 0.25 })).toBeCloseTo(0.4, 15)
    expect(meanPower({ difference: 0.1, sd: 0.25 }, 80)).toBeCloseTo(meanPower({ d: 0.4 }, 80), 15)
    expect(meanPower({ d: 0.4 }, 80)).toBeCloseTo(0.7156166067891213, 12)
    expect(meanSampleSize({ d: 0.5 }, 0.8)).toBeCloseTo(normalSampleSize(0.5, 0.8), 12)
  })

  it('reports the detectable difference in score units when sd is given', () => {
    const withSd = meanMde(120, 0.8, { sd: 0.2 })
    expect(withSd.difference).toBeCloseTo(withSd.d * 0.2, 15)
    expect(meanMde(120, 0.8).difference).toBeNaN()
  })

  it('rejects a non-positive sd', () => {
    expect(() => cohensD({ difference: 0.1, sd: 0 })).toThrow(
      'cohensD: sd must be a finite number greater than 0, got 0',
    )
    expect(() => meanMde(10, 0.8, { sd: -1 })).toThrow('meanMde: sd must be')
  })
})
