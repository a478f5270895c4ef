/**
 * `shipgate/vitest`: evals as ordinary Vitest tests. `expect(output).toPass(assertion)` grades
 * an output with any assertion type, model-graded ones included, with the judge and cassettes
 * of the project's shipgate.yaml (so replay makes judged tests free and offline in CI);
 * `suiteCases(suite)` gives a suite's cases for `test.each`, and `toPassCase` grades an answer
 * with all of a case's assertions, as eval does. Vitest is an optional peer of shipgate: only
 * this entry point imports it.
 */
import { afterAll, expect } from 'vitest'
import type { AssertionSpec } from '../contracts/assertion.js'
import type { AssertionGrade } from '../contracts/results.js'
import type {
  CheckOptions,
  SampleVerdict,
  SuiteCase,
  SuiteCasesOptions,
} from '../workflows/grade/index.js'
import { toPass, toPassCase } from './matchers.js'
import { closeShipgate, currentGrader } from './session.js'

export { closeShipgate, setupShipgate, type ShipgateSetup } from './session.js'
export type {
  AssertionGrade,
  AssertionSpec,
  CheckOptions,
  SampleVerdict,
  SuiteCase,
  SuiteCasesOptions,
}
export type { CaseAssertion, ConfigInput, GradedOutput } from '../workflows/grade/index.js'
export type { CassetteMode } from '../contracts/cassette.js'
export type { ChatMessage, ToolCall, ToolSpec } from '../contracts/provider.js'

/**
 * A suite's cases as `shipgate eval` plans them (ids, vars, tags, the rendered prompt and the
 * assertions), for `test.each(await suiteCases('support'))('$id', …)`.
 */
export async function suiteCases(
  suite: string,
  options: SuiteCasesOptions = {},
): Promise<SuiteCase[]> {
  return (await currentGrader()).suiteCases(suite, options)
}

/** Grades `output` with every assertion of `kase`, as `toPassCase` does, without asserting. */
export async function gradeCase(kase: SuiteCase, output: unknown): Promise<SampleVerdict> {
  return (await currentGrader()).gradeCase(kase, output)
}

/** Grades `output` with one assertion, as `toPass` does, without asserting. */
export async function gradeOutput(
  output: unknown,
  assertion: AssertionSpec,
  options?: CheckOptions,
): Promise<AssertionGrade> {
  return (await currentGrader()).check(output, assertion, options)
}

expect.extend({ toPass, toPassCase })

// Imported by a test file (directly or through a setup file), the project closes after the
// file's tests: pending recordings are written. Imported elsewhere, there is no suite to hook.
try {
  afterAll(closeShipgate)
} catch {
  // Not inside a test file's collection: the caller closes with closeShipgate().
}

declare module 'vitest' {
  // The type parameter must be declared exactly as vitest declares it to merge.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unused-vars
  interface Assertion<T = any> {
    /**
     * The output (a string, a JSON value, or `{ output, toolCalls, vars, … }`) passes
     * `assertion`, graded as `shipgate eval` grades it. Await it: model-graded types call the
     * project's judge (through its cassettes).
     */
    toPass(assertion: AssertionSpec, options?: CheckOptions): Promise<void>
    /** The output passes every assertion of a case from `suiteCases`, combined as eval does. */
    toPassCase(kase: SuiteCase): Promise<void>
  }
}
