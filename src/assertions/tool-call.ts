import type { ValidateFunction } from 'ajv'
import type { AssertionType, Check } from '../contracts/assertion.js'
import type { ToolCall } from '../contracts/provider.js'
import { renderValue } from '../prompts/value.js'
import * as z from '../utils/zod.js'
import { compileSchema } from './schema-compiler.js'
import { isFileRef, loadDataRef, verdict } from './shared.js'
import { callsOf, describeCalls, describeCall, partialMatch, toolName } from './tool-calls.js'

const count = z.int().check(z.nonnegative())

const toolCallObject = z
  .strictObject({
    name: toolName,
    arguments: z.optional(z.record(z.string(), z.unknown())),
    schema: z.optional(
      z.union([
        z.record(z.string(), z.unknown()),
        z.string().check(z.refine(isFileRef, { message: 'expected a JSON Schema or file://' })),
      ]),
    ),
    count: z.optional(count),
    min: z.optional(count),
    max: z.optional(count),
  })
  .check(
    z.refine((v) => v.count === undefined || (v.min === undefined && v.max === undefined), {
      message: 'give `count`, or `min`/`max`, not both',
    }),
    z.refine((v) => v.min === undefined || v.max === undefined || v.min <= v.max, {
      message: '`min` must not exceed `max`',
    }),
  )

/** `tool-call`'s value: a tool name, or `{ name, arguments | schema, count | min | max }`. */
const toolCallValue = z.pipe(
  z.union([toolName, toolCallObject]),
  z.transform((v) => (typeof v === 'string' ? { name: v } : v)),
)

type ToolCallValue = z.output<typeof toolCallValue>

/**
 * `tool-call`: the run called the tool (in the answer's `toolCalls`, or anywhere in the
 * reported `trajectory`), with arguments holding `arguments` (a partial deep match) and valid
 * against `schema`; by default at least once, else `count` times exactly or within `min`/`max`.
 * Strings of `arguments` may use the case's vars (`{{ city }}`).
 * `not-tool-call`: no such call.
 */
export const toolCall: AssertionType<ToolCallValue> = {
  type: 'tool-call',
  negatable: true,
  value: toolCallValue,
  async prepare(value, _spec, context) {
    const schema =
      value.schema === undefined
        ? undefined
        : await compileSchema(
            isFileRef(value.schema)
              ? await loadDataRef(value.schema, context.baseDir)
              : value.schema,
          )
    return toolCallCheck(value, schema)
  },
}

function toolCallCheck(value: ToolCallValue, schema: ValidateFunction | undefined): Check {
  const min = value.count ?? value.min ?? 1
  const max = value.count ?? value.max ?? Number.POSITIVE_INFINITY
  // Expected arguments with `{{ var }}` are filled from each case's vars, as judge values are.
  const templated = value.arguments !== undefined && TEMPLATE.test(JSON.stringify(value.arguments))
  const fixedWanted = describeWanted(value, min, max)
  return (input) => {
    const expected = templated
      ? (renderValue(value.arguments, input.vars) as Record<string, unknown>)
      : value.arguments
    const wanted = templated
      ? describeWanted({ ...value, arguments: expected }, min, max)
      : fixedWanted
    const matches = (call: ToolCall): boolean =>
      call.name === value.name &&
      (expected === undefined || partialMatch(call.arguments, expected)) &&
      (schema === undefined || schema(call.arguments))
    const calls = callsOf(input)
    let n = 0
    for (const call of calls) if (matches(call)) n++
    const seen = calls.length === 0 ? 'no tool was called' : `called ${describeCalls(calls)}`
    if (n >= min && n <= max) {
      const which = calls.find(matches)
      const first = which === undefined ? '' : `: ${describeCall(which)}`
      return verdict(true, `${n} call${n === 1 ? ' matches' : 's match'} ${wanted}${first}`)
    }
    const found = n === 0 ? 'none matches' : `${n} call${n === 1 ? ' matches' : 's match'}`
    return verdict(false, `${seen}; ${found} ${wanted}`)
  }
}

const TEMPLATE = /\{\{|\{%/

function describeWanted(value: ToolCallValue, min: number, max: number): string {
  const parts = [value.name]
  if (value.arguments !== undefined) parts.push(`with arguments ${JSON.stringify(value.arguments)}`)
  if (value.schema !== undefined) parts.push('with arguments valid against the schema')
  const times =
    min === max
      ? ` (expected exactly ${min})`
      : max !== Number.POSITIVE_INFINITY
        ? ` (expected ${min} to ${max})`
        : min !== 1
          ? ` (expected at least ${min})`
          : ''
  return `${parts.join(' ')}${times}`
}
