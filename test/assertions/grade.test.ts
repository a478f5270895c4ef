import { describe, expect, it } from 'vitest'
import { prepareAssertion } from '../../src/assertions/index.js'
import type { Check } from '../../src/contracts/assertion.js'
import type { AssertionGrade } from '../../src/contracts/results.js'
import { combine, gradeSample } from '../../src/core/eval/grade.js'
import type { PlannedCase, PlannedCheck } from '../../src/core/eval/plan.js'
import { sample, plainContext } from './support.js'

const g = (pass: boolean, score: number, weight = 1): AssertionGrade => ({
  type: 'javascript',
  pass,
  score,
  reason: `scored ${score}`,
  weight,
})

const plannedCase = (checks: PlannedCheck[], threshold?: number): PlannedCase => ({
  id: 'case-1',
  vars: {},
  tags: [],
  messages: () => [{ role: 'user', content: 'hi' }],
  checks,
  ...(threshold === undefined ? {} : { threshold }),
})

const fixed =
  (pass: boolean, score: number, reason = 'fixed'): Check =>
  () => ({ pass, score, reason })

describe('combine', () => {
  it('passes when every counted grade passes; the score is the weighted mean', () => {
    const v = combine([g(true, 1, 3), g(true, 0.5, 1)])
    expect(v.pass).toBe(true)
    expect(v.score).toBeCloseTo((3 * 1 + 1 * 0.5) / 4, 12)
  })

  it('fails when one counted grade fails, whatever the score', () => {
    const v = combine([g(true, 1, 9), g(false, 0.9, 1)])
    expect(v.pass).toBe(false)
    expect(v.score).toBeCloseTo(0.99, 12)
  })

  it('leaves a weight-0 grade out of pass and score, but reports it', () => {
    const grades = [g(true, 0.8), g(false, 0, 0)]
    const v = combine(grades)
    expect(v).toEqual({ pass: true, score: 0.8, grades })
  })

  it('passes with score 1 when nothing is counted', () => {
    expect(combine([])).toMatchObject({ pass: true, score: 1 })
    expect(combine([g(false, 0, 0)])).toMatchObject({ pass: true, score: 1 })
  })

  it('with a threshold, passes on the weighted score alone', () => {
    const grades = [g(true, 1, 1), g(false, 0, 1), g(true, 1, 2)]
    expect(combine(grades, 0.75)).toMatchObject({ pass: true, score: 0.75 })
    expect(combine(grades, 0.76)).toMatchObject({ pass: false, score: 0.75 })
  })

  it('with a threshold, still ignores weight-0 grades', () => {
    expect(combine([g(true, 0.6), g(true, 0, 0)], 0.6)).toMatchObject({ pass: true, score: 0.6 })
  })
})

describe('gradeSample', () => {
  it('runs every check and reports type, weight, metric and reason', async () => {
    const contains = await prepareAssertion({ type: 'contains', value: 'hi' }, plainContext('.'))
    const v = await gradeSample(
      plannedCase([
        { type: 'contains', weight: 2, metric: 'greeting', check: contains },
        { type: 'javascript', weight: 0, check: fixed(false, 0, 'info only') },
      ]),
      sample('hi there'),
    )
    expect(v.pass).toBe(true)
    expect(v.score).toBe(1)
    expect(v.grades).toEqual([
      {
        type: 'contains',
        pass: true,
        score: 1,
        reason: 'output contains "hi"',
        weight: 2,
        metric: 'greeting',
      },
      { type: 'javascript', pass: false, score: 0, reason: 'info only', weight: 0 },
    ])
    expect(v.grades[1]).not.toHaveProperty('metric')
  })

  it('applies the case threshold to the weighted score', async () => {
    const checks = [
      { type: 'a', weight: 1, check: fixed(true, 1) },
      { type: 'b', weight: 1, check: fixed(false, 0.4) },
    ]
    expect(await gradeSample(plannedCase(checks, 0.7), sample('x'))).toMatchObject({
      pass: true,
      score: 0.7,
    })
    expect(await gradeSample(plannedCase(checks, 0.71), sample('x'))).toMatchObject({
      pass: false,
    })
    expect((await gradeSample(plannedCase(checks), sample('x'))).pass).toBe(false)
  })

  it('turns a check that throws into a failed grade with the error as reason', async () => {
    const boom: Check = () => {
      throw new Error('kaboom')
    }
    const v = await gradeSample(
      plannedCase([
        { type: 'contains', weight: 1, check: fixed(true, 1) },
        { type: 'javascript', weight: 1, check: boom },
      ]),
      sample('x'),
    )
    expect(v.pass).toBe(false)
    expect(v.score).toBe(0.5)
    expect(v.grades[1]).toEqual({
      type: 'javascript',
      pass: false,
      score: 0,
      reason: 'assertion error: kaboom',
      weight: 1,
    })
  })

  it('does the same for a rejected promise, a thrown non-Error and user javascript', async () => {
    const rejects: Check = () => Promise.reject(new Error('later'))
    const throwsString: Check = () => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw 'plain'
    }
    const user = await prepareAssertion(
      { type: 'javascript', value: 'if (output) throw new TypeError("bad " + output)\nreturn 1' },
      plainContext('.'),
    )
    const v = await gradeSample(
      plannedCase([
        { type: 'a', weight: 1, check: rejects },
        { type: 'b', weight: 1, check: throwsString },
        { type: 'javascript', weight: 1, check: user },
      ]),
      sample('input'),
    )
    expect(v.grades.map((x) => x.reason)).toEqual([
      'assertion error: later',
      'assertion error: plain',
      'assertion error: bad input',
    ])
    expect(v).toMatchObject({ pass: false, score: 0 })
  })
})
