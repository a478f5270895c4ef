import type { ErrorObject, ValidateFunction } from 'ajv'
import type { AssertionType, Check } from '../contracts/assertion.js'
import type { ToolCall } from '../contracts/provider.js'
import { ShipgateError } from '../errors.js'
import * as z from '../utils/zod.js'
import { compileSchema } from './schema-compiler.js'
import { callsOf, describeCall } from './tool-calls.js'

const validValue = z.optional(
  z.strictObject({
    required: z.optional(z.boolean()),
  }),
)

type ValidValue = z.output<typeof validValue>

/**
 * `tool-calls-valid`: every call names a tool the suite declares (`tools:`) and its arguments
 * validate against that tool's `parameters` schema. A sample without calls passes, unless the
 * value says `{ required: true }`. The score is the share of valid calls.
 */
export const toolCallsValid: AssertionType<ValidValue> = {
  type: 'tool-calls-valid',
  negatable: false,
  value: validValue,
  async prepare(value, spec, context) {
    if (context.tools.length === 0) {
      throw new ShipgateError('config', `${spec.type} needs the suite to declare its tools`, {
        hint: 'add `tools:` to the suite: a list of { name, description, parameters } (JSON Schema)',
      })
    }
    const validators = new Map<string, ValidateFunction>()
    for (const tool of context.tools)
      validators.set(tool.name, await compileSchema(tool.parameters))
    return validCheck(validators, value?.required === true)
  },
}

function validCheck(validators: ReadonlyMap<string, ValidateFunction>, required: boolean): Check {
  const declared = [...validators.keys()].join(', ')
  return (input) => {
    const calls = callsOf(input)
    if (calls.length === 0) {
      return required
        ? { pass: false, score: 0, reason: 'no tool calls, and the assertion requires some' }
        : { pass: true, score: 1, reason: 'no tool calls to check (passes: none is invalid)' }
    }
    const problems: string[] = []
    calls.forEach((call, i) => {
      const problem = problemOf(call, validators.get(call.name), declared)
      if (problem !== undefined) problems.push(`call ${i + 1} ${describeCall(call)}: ${problem}`)
    })
    const valid = calls.length - problems.length
    const score = valid / calls.length
    if (problems.length === 0) {
      return { pass: true, score, reason: `all ${calls.length} tool calls are valid` }
    }
    const shown = problems.slice(0, 3).join('; ')
    const more = problems.length > 3 ? `; and ${problems.length - 3} more` : ''
    return {
      pass: false,
      score,
      reason: `${problems.length} of ${calls.length} tool calls invalid: ${shown}${more}`,
    }
  }
}

function problemOf(
  call: ToolCall,
  validate: ValidateFunction | undefined,
  declared: string,
): string | undefined {
  if (validate === undefined) return `"${call.name}" is not a declared tool (declared: ${declared})`
  if (typeof call.arguments === 'string') return 'the arguments are not valid JSON'
  if (validate(call.arguments)) return undefined
  return describeErrors(validate.errors ?? [])
}

function describeErrors(errors: readonly ErrorObject[]): string {
  return errors
    .slice(0, 2)
    .map(
      (e) =>
        `${e.instancePath === '' ? '(arguments)' : e.instancePath} ${e.message ?? 'is invalid'}`,
    )
    .join(', ')
}
