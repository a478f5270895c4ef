import { describe, expect, it } from 'vitest'
import { levenshtein } from '../../src/utils/levenshtein.js'

/** The textbook full-matrix distance over code points, to check the fast one against. */
function reference(a: string, b: string): number {
  const x = [...a]
  const y = [...b]
  const d = Array.from({ length: x.length + 1 }, (_, i) =>
    Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  )
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const row = d[i] as number[]
      const up = d[i - 1] as number[]
      row[j] = Math.min(
        (up[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (up[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1),
      )
    }
  }
  return (d[x.length] as number[])[y.length] as number
}

/** A deterministic pseudo-random generator (xorshift), so failures reproduce. */
function random(seed: number): () => number {
  let s = seed
  return () => {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    return ((s >>> 0) % 1_000_000) / 1_000_000
  }
}

describe('levenshtein', () => {
  it('gives the textbook distances', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3)
    expect(levenshtein('', 'abc')).toBe(3)
    expect(levenshtein('abc', '')).toBe(3)
    expect(levenshtein('flaw', 'lawn')).toBe(2)
    expect(levenshtein('same', 'same')).toBe(0)
  })

  it('counts an emoji as one character', () => {
    expect(levenshtein('a😀b', 'a😁b')).toBe(1)
    expect(levenshtein('😀', '')).toBe(1)
  })

  it('agrees with the full matrix on random strings, bounded or not', () => {
    const next = random(42)
    const word = () =>
      Array.from({ length: Math.floor(next() * 14) }, () => 'abcd'[Math.floor(next() * 4)]).join('')
    for (let k = 0; k < 500; k++) {
      const a = word()
      const b = word()
      const exact = reference(a, b)
      expect(levenshtein(a, b), `${a} / ${b}`).toBe(exact)
      const max = Math.floor(next() * 6)
      expect(levenshtein(a, b, max), `${a} / ${b} max ${max}`).toBe(Math.min(exact, max + 1))
    }
  })

  it('stops at the bound on long texts that differ everywhere', () => {
    const a = 'a'.repeat(200_000)
    const b = 'b'.repeat(200_000)
    expect(levenshtein(a, b, 5)).toBe(6)
    expect(levenshtein(`${a}x`, `${a}y`, 5)).toBe(1)
  })
})
