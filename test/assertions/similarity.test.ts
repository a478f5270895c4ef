import { describe, expect, it } from 'vitest'
import { rougeL, rougeN, tokenize } from '../../src/assertions/rouge.js'
import { configError, grade } from './support.js'

// The example of Google's rouge-score README, with its published figures.
const TARGET = 'The quick brown fox jumps over the lazy dog'
const PREDICTION = 'The quick brown dog jumps on the log.'

describe('ROUGE', () => {
  it('tokenizes into lower-cased words of any script', () => {
    expect(tokenize('Hello, WORLD! Straße 42 東京')).toEqual([
      'hello',
      'world',
      'straße',
      '42',
      '東京',
    ])
  })

  it('gives rouge-score’s ROUGE-1 and ROUGE-L figures', () => {
    const one = rougeN(tokenize(PREDICTION), tokenize(TARGET), 1)
    expect(one.precision).toBeCloseTo(0.75, 4)
    expect(one.recall).toBeCloseTo(0.66667, 4)
    expect(one.f1).toBeCloseTo(0.70588, 4)
    const l = rougeL(tokenize(PREDICTION), tokenize(TARGET))
    expect(l.precision).toBeCloseTo(0.625, 4)
    expect(l.recall).toBeCloseTo(0.55556, 4)
    expect(l.f1).toBeCloseTo(0.58824, 4)
  })

  it('clips repeated n-grams and handles empty texts', () => {
    // "the the the" against "the cat": one "the" in the reference, so one match.
    expect(rougeN(['the', 'the', 'the'], ['the', 'cat'], 1).precision).toBeCloseTo(1 / 3, 12)
    expect(rougeN(['a', 'b', 'c'], ['a', 'b', 'd'], 2).f1).toBeCloseTo(0.5, 12)
    expect(rougeN([], ['a'], 1).f1).toBe(0)
    expect(rougeL([], []).f1).toBe(0)
  })
})

describe('rouge-n and rouge-l assertions', () => {
  it('pass on the F1 reaching the threshold (default 0.75) and say P and R', async () => {
    const g = await grade({ type: 'rouge-n', value: TARGET }, PREDICTION)
    expect(g).toMatchObject({ pass: false })
    expect(g.score).toBeCloseTo(0.70588, 4)
    expect(g.reason).toBe('ROUGE-1 F1 0.71 (precision 0.75, recall 0.67) < threshold 0.75')
    expect((await grade({ type: 'rouge-n', value: TARGET, threshold: 0.7 }, PREDICTION)).pass).toBe(
      true,
    )
    const l = await grade({ type: 'rouge-l', value: TARGET, threshold: 0.5 }, PREDICTION)
    expect(l.pass).toBe(true)
    expect(l.reason).toBe('ROUGE-L F1 0.59 (precision 0.63, recall 0.56) ≥ threshold 0.5')
  })

  it('take n, and the best of several references', async () => {
    const bigrams = await grade({ type: 'rouge-n', value: { reference: TARGET, n: 2 } }, PREDICTION)
    expect(bigrams.reason).toBe('ROUGE-2 F1 0.27 (precision 0.29, recall 0.25) < threshold 0.75')
    const best = await grade(
      { type: 'rouge-l', value: ['Something else entirely', PREDICTION] },
      PREDICTION,
    )
    expect(best).toMatchObject({ pass: true, score: 1 })
  })

  it('reject a missing reference or an n out of range', async () => {
    expect((await configError({ type: 'rouge-n' })).message).toMatch(/invalid value for rouge-n/)
    const error = await configError({ type: 'rouge-n', value: { reference: 'x', n: 5 } })
    expect(error.message).toMatch(/at value\.n/)
  })
})

describe('levenshtein assertion', () => {
  it('passes within the threshold (default 5 edits) and names the distance', async () => {
    const near = await grade({ type: 'levenshtein', value: 'kitten' }, 'sitting')
    expect(near).toEqual({
      pass: true,
      score: 1,
      reason: 'Levenshtein distance to "kitten" is 3 (at most 5 passes)',
    })
    const far = await grade({ type: 'levenshtein', value: 'kitten', threshold: 2 }, 'sitting')
    expect(far).toMatchObject({ pass: false, score: 0 })
    expect(far.reason).toContain('is 3 (at most 2 passes)')
  })

  it('says "more than" the threshold for long far-off outputs without computing it all', async () => {
    const g = await grade({ type: 'levenshtein', value: 'b'.repeat(5000) }, 'a'.repeat(5000))
    expect(g).toMatchObject({ pass: false })
    expect(g.reason).toContain('is more than 5')
  })
})
