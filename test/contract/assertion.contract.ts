/**
 * The contract every assertion type passes (src/contracts/assertion.ts, docs/assertions.md): a
 * bad value is a config error when prepared, naming what is wrong; a grade has a boolean pass, a
 * finite score in 0..1 and a reason; a failed check is a value; hostile outputs (empty, 1 MB,
 * lone surrogates, not JSON, deeply nested JSON) never throw; `not-x` is offered exactly for
 * negatable types and inverts x; model-graded types ask their judge, report its calls, usage
 * and cost apart, and turn a failing judge into an error grade, never a pass. Judges are the
 * `mock` provider, built through the builtin map and scripted per example.
 */
import { tmpdir } from 'node:os'
import { describe, expect, it } from 'vitest'
import {
  assertionTypeNames,
  builtinAssertions,
  JUDGE_TYPES,
  prepareAssertion,
  type BuiltinAssertionName,
} from '../../src/assertions/index.js'
import type {
  AssertionContext,
  AssertionInput,
  AssertionSpec,
  Check,
  Grade,
} from '../../src/contracts/assertion.js'
import type { ToolSpec } from '../../src/contracts/provider.js'
import { ShipgateError } from '../../src/errors.js'
import { mockJudge, type JudgeScript, type MockJudge } from '../helpers/mock-judge.js'

/** One sample to grade: its output, and the rest of what a check sees where it matters. */
export type ExampleSample = string | (Partial<AssertionInput> & { readonly output: string })

/** The examples of one assertion type, as the runner's table gives them. */
export interface AssertionExamples {
  /** The assertion as written in config, without its `type`. */
  readonly spec: Omit<AssertionSpec, 'type'>
  /** A sample the assertion passes. */
  readonly pass: ExampleSample
  /** A sample it fails. */
  readonly fail: ExampleSample
  /** A spec rejected when prepared, and what the error (message and hint) must name. */
  readonly bad: { readonly spec: Omit<AssertionSpec, 'type'>; readonly names: RegExp }
  /** Model-graded types: the judge's scripted answers (mock `responses`, first match wins). */
  readonly judge?: readonly JudgeScript[]
  /** The suite's declared tools, for the types that check calls against them. */
  readonly tools?: readonly ToolSpec[]
}

/** Outputs a model may well give; none may make a check throw. */
export const HOSTILE_OUTPUTS: Readonly<Record<string, string>> = {
  empty: '',
  '1 MB': 'word '.repeat(210_000).slice(0, 1 << 20),
  'lone surrogates': 'broken \uD800 text \uDFFF end',
  'not JSON': '{"answer": 42,',
  'nested 100k deep': `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  'nested objects': `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`,
}

/** Runs the contract against assertion type `type` with its `examples`. */
export function assertionContract(type: BuiltinAssertionName, examples: AssertionExamples): void {
  describe(`${type} (assertion contract)`, () => {
    const judged = JUDGE_TYPES.has(type)
    const negated = assertionTypeNames.includes(`not-${type}`)

    /** Prepares `type` (or `not-type`) with a fresh judge scripted by the examples. */
    const prepare = async (
      as = type as string,
      judge = mockJudge(examples.judge ?? []),
    ): Promise<{ check: Check; judge: MockJudge }> => {
      const check = await prepareAssertion(
        { ...examples.spec, type: as },
        context(judge, examples.tools),
      )
      return { check, judge }
    }

    it('rejects a bad value when prepared, with a config error naming it', async () => {
      const spec = { ...examples.bad.spec, type }
      const error = await prepareAssertion(spec, context(mockJudge([]), examples.tools)).then(
        () => expect.fail(`${JSON.stringify(spec)} was accepted`),
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(ShipgateError)
      const { code, message, hint } = error as ShipgateError
      expect(code).toBe('config')
      expect(`${message} ${hint ?? ''}`).toMatch(examples.bad.names)
    })

    it('passes its passing example and fails its failing one, as grades', async () => {
      const { check } = await prepare()
      const passed = expectGrade(await check(input(examples.pass)))
      expect(passed, passed.reason).toMatchObject({ pass: true })
      expect(passed.error).not.toBe(true)
      const failed = expectGrade(await check(input(examples.fail)))
      expect(failed, failed.reason).toMatchObject({ pass: false })
      expect(failed.error).not.toBe(true)
      expect(failed.score).toBeLessThanOrEqual(passed.score)
    })

    it.each(Object.entries(HOSTILE_OUTPUTS))('grades a hostile output (%s)', async (_, output) => {
      const { check } = await prepare()
      expectGrade(await check(input({ ...sampleOf(examples.pass), output })))
    })

    it(`offers not-${type} exactly when it says it is negatable`, async () => {
      const loaded = await builtinAssertions[type]()
      expect(loaded.type).toBe(type)
      expect(negated).toBe(loaded.negatable)
      if (negated) return
      await expect(prepare(`not-${type}`)).rejects.toThrow(`unknown assertion type "not-${type}"`)
    })

    const ifNegatable = onlyIf(negated, 'not negatable: bounds and scored judges take limits')
    ifNegatable(`not-${type} inverts pass and score, and keeps the reason`, async () => {
      for (const example of [examples.pass, examples.fail]) {
        const plain = await (await prepare()).check(input(example))
        const inverted = expectGrade(await (await prepare(`not-${type}`)).check(input(example)))
        expect(inverted.pass).toBe(!plain.pass)
        expect(inverted.score).toBeCloseTo(1 - plain.score, 12)
        expect(inverted.reason).toBe(plain.reason)
      }
    })

    it(judged ? 'asks its judge and reports the calls apart' : 'asks no judge', async () => {
      for (const example of [examples.pass, examples.fail]) {
        const { check, judge } = await prepare()
        const grade = expectGrade(await check(input(example)))
        if (!judged) {
          expect(judge.calls()).toEqual([])
          expect(grade.judge).toBeUndefined()
          continue
        }
        const calls = judge.calls()
        expect(calls.length).toBeGreaterThan(0)
        expect(grade.judge).toMatchObject({ provider: judge.id, calls: calls.length })
        const cost = calls.reduce((sum, c) => sum + (c.costUsd ?? 0), 0)
        expect(grade.judge?.costUsd).toBeCloseTo(cost, 12)
        const tokens = calls.reduce((sum, c) => sum + (c.usage?.input ?? 0), 0)
        expect(grade.judge?.usage?.input).toBe(tokens)
      }
    })

    const ifJudged = onlyIf(judged, 'no judge: a deterministic check')
    ifJudged('makes a failing judge an error grade, never a pass, also negated', async () => {
      for (const as of negated ? [type, `not-${type}`] : [type]) {
        const broken = mockJudge(examples.judge ?? [], { failing: true })
        const { check } = await prepare(as, broken)
        for (const example of [examples.pass, examples.fail]) {
          const before = broken.calls().length
          const grade = expectGrade(await check(input(example)))
          expect(grade).toMatchObject({ pass: false, error: true })
          expect(grade.judge?.calls).toBe(broken.calls().length - before)
        }
      }
    })
  })
}

/** `it` when a clause applies to the type, else a skip that says why not. */
function onlyIf(applies: boolean, why: string): (title: string, body: () => Promise<void>) => void {
  return (title, body) => (applies ? it(title, body) : it.skip(`${title} [${why}]`, body))
}

/** The context of a check: every judge is `judge` (the examples read no files). */
function context(judge: MockJudge, tools: readonly ToolSpec[] = []): AssertionContext {
  return {
    baseDir: tmpdir(),
    judge: () => Promise.resolve(judge),
    judgePrompt: () => undefined,
    tools,
  }
}

function sampleOf(example: ExampleSample): Partial<AssertionInput> & { output: string } {
  return typeof example === 'string' ? { output: example } : example
}

/** A sample as a check sees it: the example's fields over plain defaults. */
function input(example: ExampleSample): AssertionInput {
  return {
    vars: {},
    prompt: [{ role: 'user', content: 'What is the capital of France?' }],
    latencyMs: 100,
    costUsd: 0.001,
    usage: null,
    toolCalls: [],
    ...sampleOf(example),
  }
}

/** Checks the shape every grade has, and returns it. */
function expectGrade(grade: Grade): Grade {
  expect(typeof grade.pass).toBe('boolean')
  expect(Number.isFinite(grade.score), `score ${grade.score}`).toBe(true)
  expect(grade.score).toBeGreaterThanOrEqual(0)
  expect(grade.score).toBeLessThanOrEqual(1)
  expect(grade.reason).toMatch(/\S/)
  if (grade.error === true) expect(grade.pass).toBe(false)
  if (grade.value !== undefined) {
    const { min, max } = grade.scale ?? { min: 0, max: 1 }
    expect(grade.value).toBeGreaterThanOrEqual(min)
    expect(grade.value).toBeLessThanOrEqual(max)
  }
  return grade
}
