import * as z from '../utils/zod.js'
import type { AssertionInput, AssertionType, Grade } from '../contracts/assertion.js'
import { ShipgateError } from '../errors.js'
import { DerivedCache } from '../utils/cache.js'
import { fileRefPath, isFileRef } from './shared.js'
import { importUserModule } from './user-module.js'

/** The user's function: `(output, context) => boolean | number | { pass, score?, reason? }`. */
type UserFunction = (output: string, context: AssertionInput) => unknown

const resultSchema = z.object({
  pass: z.boolean(),
  score: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  reason: z.optional(z.string()),
})

/**
 * `javascript`: the user's expression, function body or module decides. Only the user's own
 * code (from config) runs; the model output reaches it as a string argument, never as code.
 */
export const javascript: AssertionType<string> = {
  type: 'javascript',
  negatable: true,
  value: z.string().check(z.minLength(1)),
  async prepare(source, spec, context) {
    // Only what the check uses is kept, not the spec (with its location) it came from.
    const { threshold } = spec
    if (isFileRef(source)) {
      const fn = await loadModule(source, context.baseDir)
      return async (input) => toGrade(await fn(input.output, input), threshold)
    }
    // Compiled now so that a source that does not compile is a config error before any call;
    // the check keeps the source, and takes the function from the bounded cache when it runs.
    compileUserFunction(source)
    return async (input) =>
      toGrade(await compileUserFunction(source)(input.output, input), threshold)
  },
}

/**
 * How many distinct javascript sources the process keeps compiled. A suite often writes one
 * expression per case; checks keep their source, not their function, so a plan of more distinct
 * sources than this compiles some twice (16 µs each) rather than holding every function
 * (~1 KB each with its code, ~10 MB at 10,000 cases). See
 * docs/decisions/0007-compiled-assertion-caches.md and 0010-lean-plan.md.
 */
const FUNCTION_LIMIT = 2_000

// Keyed by the source itself, so an entry is never stale.
const functions = new DerivedCache<string, UserFunction>(FUNCTION_LIMIT)

/**
 * The function of an expression (`output.length < 100`) or, when it is not one, of a function
 * body; compiled once per distinct source (cases with the same source share one function).
 * Throws a config error when neither compiles.
 */
export function compileUserFunction(source: string): UserFunction {
  return functions.get(source, compile)
}

function compile(source: string): UserFunction {
  // Parsing decides, not a search for `return`, which may sit in a string of an expression
  // (`output.includes("return policy")`). The newline ends a trailing `// comment`.
  try {
    return userFunction(`return (${source}\n)`)
  } catch {
    // Not an expression: a function body.
  }
  try {
    return userFunction(source)
  } catch (cause) {
    throw new ShipgateError(
      'config',
      `javascript assertion does not compile: ${(cause as Error).message}`,
      {
        hint: 'write an expression such as `output.includes("x")`, or a body that returns a value',
        cause,
      },
    )
  }
}

function userFunction(body: string): UserFunction {
  // The user's own assertion code from their config, as in promptfoo; model output is only
  // ever an argument to it.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('output', 'context', body) as UserFunction
}

/**
 * The user's function in a module: `file://path.js` (default export) or `file://path.js:name` (a
 * named export). Throws a config error when it cannot be loaded or is not a function.
 */
export async function loadModule(ref: string, baseDir: string): Promise<UserFunction> {
  const [file, name] = splitExport(ref)
  const path = fileRefPath(file, baseDir)
  let mod: Record<string, unknown>
  try {
    mod = await importUserModule(path)
  } catch (cause) {
    throw new ShipgateError('config', `cannot load ${path}: ${(cause as Error).message}`, {
      hint: 'the file:// path is relative to the file that declares the assertion',
      cause,
    })
  }
  const fn = mod[name ?? 'default']
  if (typeof fn !== 'function') {
    throw new ShipgateError('config', `${path} has no function export "${name ?? 'default'}"`, {
      hint: 'export a function (output, context) => boolean | number | { pass, score, reason }',
    })
  }
  return fn as UserFunction
}

function splitExport(ref: string): [string, string | undefined] {
  const match = /^(file:\/\/.+\.[cm]?[jt]s):([A-Za-z_$][\w$]*)$/.exec(ref)
  return match === null ? [ref, undefined] : [match[1] as string, match[2]]
}

function toGrade(result: unknown, threshold: number | undefined): Grade {
  if (typeof result === 'boolean') {
    return { pass: result, score: result ? 1 : 0, reason: `javascript returned ${String(result)}` }
  }
  if (typeof result === 'number' && Number.isFinite(result)) {
    const pass = threshold === undefined ? result > 0 : result >= threshold
    const bound = threshold === undefined ? '> 0' : `>= ${threshold}`
    return {
      pass,
      score: Math.max(0, Math.min(1, result)),
      reason: `javascript score ${result} (pass ${bound})`,
    }
  }
  const parsed = resultSchema.safeParse(result)
  if (!parsed.success) {
    return {
      pass: false,
      score: 0,
      reason: 'javascript returned neither a boolean, a number nor { pass, score, reason }',
    }
  }
  const { pass, score, reason } = parsed.data
  return {
    pass,
    score: score ?? (pass ? 1 : 0),
    reason: reason ?? `javascript returned pass: ${pass}`,
  }
}
