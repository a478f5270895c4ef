import type { AssertionInput, Check, Grade } from '../contracts/assertion.js'
import { ShipgateError } from '../errors.js'
import { errorMessage } from '../utils/errors.js'
import { compileUserFunction, loadModule } from './javascript.js'
import { isFileRef } from './shared.js'

/*
 * `transform:` on a suite, a case or an assertion, as promptfoo's: the user's JavaScript
 * reshapes the output before it is graded. The stored output stays the model's own.
 */

/** A compiled transform: the output it gives for a sample (text; other values as JSON). */
export type Transform = (input: AssertionInput) => Promise<string>

/** A transform and what to call it in a reason: `suite transform (shipgate.yaml:12)`. */
export interface TransformStage {
  readonly label: string
  readonly run: Transform
}

/**
 * Compiles a transform: an expression or function body of `output` and `context` (the sample:
 * vars, prompt, toolCalls, trajectory, …), compiled once per distinct source as a `javascript`
 * assertion is, or `file://path.js[:name]`, a module's function (default export, or `name`).
 * Throws a config error when it does not compile or load.
 */
export async function prepareTransform(source: string, baseDir: string): Promise<Transform> {
  let fn: (output: string, context: AssertionInput) => unknown
  if (isFileRef(source)) fn = await loadModule(source, baseDir)
  else {
    try {
      compileUserFunction(source)
    } catch (error) {
      // The javascript assertion's error says "javascript assertion"; name the syntax error only.
      const cause =
        error instanceof ShipgateError && error.cause !== undefined ? error.cause : error
      throw new ShipgateError('config', `transform does not compile: ${errorMessage(cause)}`, {
        hint: 'write an expression of `output` and `context`, such as `JSON.parse(output).answer`',
        cause,
      })
    }
    fn = (output, context) => compileUserFunction(source)(output, context)
  }
  return async (input) => asText(await fn(input.output, input))
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value
  if (value === undefined) throw new Error('it returned undefined (a body must `return` a value)')
  const text = JSON.stringify(value) as string | undefined
  if (text === undefined) throw new Error(`it returned a ${typeof value}, not text or JSON data`)
  return text
}

/** What the stages made of a sample: its output, or the failure of a stage. */
type Staged =
  | { readonly ok: true; readonly input: AssertionInput }
  | { readonly ok: false; readonly grade: Grade }

/**
 * A chain of transforms run in order (suite, case, assertion), each on the previous one's
 * output. Every check wrapped by one chain shares its result per sample, so the chain runs
 * once per sample however many checks read it.
 */
export class TransformChain {
  private readonly done = new WeakMap<AssertionInput, Promise<Staged>>()

  constructor(private readonly stages: readonly TransformStage[]) {}

  /** `check` on the transformed output; a stage that throws fails it as an error grade. */
  wrap(check: Check): Check {
    return async (input) => {
      let staged = this.done.get(input)
      if (staged === undefined) {
        staged = this.apply(input)
        this.done.set(input, staged)
      }
      const outcome = await staged
      return outcome.ok ? check(outcome.input) : outcome.grade
    }
  }

  private async apply(input: AssertionInput): Promise<Staged> {
    let current = input
    for (const stage of this.stages) {
      try {
        current = { ...current, output: await stage.run(current) }
      } catch (error) {
        const reason = `${stage.label} failed: ${errorMessage(error)}`
        return { ok: false, grade: { pass: false, score: 0, reason, error: true } }
      }
    }
    return { ok: true, input: current }
  }
}
