import { describe, expect, it } from 'vitest'
import {
  caseKey,
  sampleOf,
  selectCases,
  type CandidateCase,
} from '../../../src/core/eval/select-cases.js'

/** A 1,000-case suite `big` (every tenth case about refunds) and a 20-case suite `small`. */
const big: CandidateCase[] = Array.from({ length: 1000 }, (_, i) => ({
  suite: 'big',
  id: `case-${String(i).padStart(4, '0')}`,
  description: i % 10 === 0 ? `Refund request number ${i}` : `question ${i}`,
}))
const small: CandidateCase[] = Array.from({ length: 20 }, (_, i) => ({
  suite: 'small',
  id: `case-${String(i).padStart(4, '0')}`,
}))
const all = [...big, ...small]

/** The kept cases as `suite/id`, in candidate order. */
function kept(keep: ReadonlySet<string>): string[] {
  return all.filter((c) => keep.has(caseKey(c.suite, c.id))).map((c) => `${c.suite}/${c.id}`)
}

describe('selectCases over a 1,000-case suite', () => {
  it('--case keeps exactly the named ids, in every suite that has them, or in one as suite/id', () => {
    const chosen = selectCases(all, { cases: ['case-0005', 'big/case-0999', 'small/case-0019'] })
    expect(kept(chosen.keep)).toEqual([
      'big/case-0005',
      'big/case-0999',
      'small/case-0005',
      'small/case-0019',
    ])
    expect(chosen.unknown).toEqual([])
  })

  it('--case reports ids no candidate has, whatever else matched', () => {
    const chosen = selectCases(all, { cases: ['case-0005', 'case-1000', 'small/case-0500'] })
    expect(chosen.unknown).toEqual(['case-1000', 'small/case-0500'])
    expect(kept(chosen.keep)).toEqual(['big/case-0005', 'small/case-0005'])
  })

  it('--filter matches ids, suite/id and descriptions, case-insensitively', () => {
    const byDescription = kept(selectCases(all, { filter: /refund/i }).keep)
    expect(byDescription).toEqual(big.filter((_, i) => i % 10 === 0).map((c) => `big/${c.id}`))
    expect(byDescription).toHaveLength(100)
    const byId = kept(selectCases(all, { filter: /^case-001[0-2]$/i }).keep)
    expect(byId).toEqual([
      'big/case-0010',
      'big/case-0011',
      'big/case-0012',
      'small/case-0010',
      'small/case-0011',
      'small/case-0012',
    ])
    expect(kept(selectCases(all, { filter: /^small\/case-000[12]/i }).keep)).toEqual([
      'small/case-0001',
      'small/case-0002',
    ])
    // A global expression keeps no position from one case to the next.
    expect(kept(selectCases(all, { filter: /refund/gi }).keep)).toHaveLength(100)
  })

  it('--first keeps the first n of each suite in file order, after the other narrowing', () => {
    expect(kept(selectCases(all, { first: 3 }).keep)).toEqual([
      'big/case-0000',
      'big/case-0001',
      'big/case-0002',
      'small/case-0000',
      'small/case-0001',
      'small/case-0002',
    ])
    expect(kept(selectCases(all, { first: 3, filter: /refund/i }).keep)).toEqual([
      'big/case-0000',
      'big/case-0010',
      'big/case-0020',
    ])
    expect(kept(selectCases(all, { first: 5000 }).keep)).toHaveLength(1020)
  })

  it('--sample keeps n of each suite, in file order, the same for the same number', () => {
    const one = kept(selectCases(all, { sample: { size: 50, seed: 42 } }).keep)
    const again = kept(selectCases(all, { sample: { size: 50, seed: 42 } }).keep)
    const other = kept(selectCases(all, { sample: { size: 50, seed: 43 } }).keep)
    expect(one).toEqual(again)
    expect(one).not.toEqual(other)
    expect(one.filter((c) => c.startsWith('big/'))).toHaveLength(50)
    // A sample as large as the suite is the suite.
    expect(one.filter((c) => c.startsWith('small/'))).toHaveLength(20)
    const order = all.map((c) => `${c.suite}/${c.id}`)
    expect([...one].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(one)
  })

  it("--sample of one suite does not change when the run's other suites change", () => {
    const withSmall = selectCases(all, { sample: { size: 30, seed: 7 } })
    const alone = selectCases(big, { sample: { size: 30, seed: 7 } })
    const bigOnly = (keep: ReadonlySet<string>) => kept(keep).filter((c) => c.startsWith('big/'))
    expect(bigOnly(withSmall.keep)).toEqual(bigOnly(alone.keep))
  })

  it('--sample draws every case about equally often (uniform)', () => {
    const counts = new Array<number>(1000).fill(0)
    const draws = 400
    for (let seed = 0; seed < draws; seed++) {
      for (const c of sampleOf(big, { size: 100, seed }, 'big')) {
        counts[Number(c.id.slice(5))]! += 1
      }
    }
    // Each case is drawn with chance 0.1: 40 times in 400 draws on average, sd ≈ 6.
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length
    expect(mean).toBe(40)
    expect(Math.min(...counts)).toBeGreaterThan(10)
    expect(Math.max(...counts)).toBeLessThan(75)
    // The first and the second half of the file are drawn alike (no bias by position).
    const half = (from: number) => counts.slice(from, from + 500).reduce((a, b) => a + b, 0)
    expect(Math.abs(half(0) - half(500)) / (draws * 100)).toBeLessThan(0.03)
  })

  it('--rerun-failed keeps only the failed cases, and reports those that no longer exist', () => {
    const only = new Map([
      ['big', new Set(['case-0003', 'case-0500', 'case-2000'])],
      ['gone-suite', new Set(['x'])],
    ])
    const chosen = selectCases(all, { only })
    expect(kept(chosen.keep)).toEqual(['big/case-0003', 'big/case-0500'])
    expect(chosen.gone).toEqual(['big/case-2000', 'gone-suite/x'])
  })

  it('combines: --case and --filter both match, then --sample, then --first', () => {
    const cases = big.slice(0, 200).map((c) => c.id)
    const chosen = selectCases(all, {
      cases,
      filter: /refund/i,
      sample: { size: 10, seed: 1 },
      first: 4,
    })
    const keptIds = kept(chosen.keep)
    expect(keptIds).toHaveLength(4)
    // Within --case and --filter: refund cases among the first 200 of big.
    for (const id of keptIds) {
      const n = Number(id.slice('big/case-'.length))
      expect(n % 10).toBe(0)
      expect(n).toBeLessThan(200)
    }
    // The first 4 of the sample of 10 drawn from those 20.
    const refunds = big.slice(0, 200).filter((_, i) => i % 10 === 0)
    const sample = sampleOf(refunds, { size: 10, seed: 1 }, 'big').map((c) => `big/${c.id}`)
    expect(keptIds).toEqual(sample.slice(0, 4))
  })
})
