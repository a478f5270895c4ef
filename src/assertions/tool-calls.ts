import type { AssertionInput } from '../contracts/assertion.js'
import type { ToolCall } from '../contracts/provider.js'
import * as z from '../utils/zod.js'

/*
 * What the tool-call assertions share: which calls a sample made, how an expected call is
 * written and matched, and how calls are named in reasons.
 */

/**
 * The calls a check looks at: every call of the run when the system reported its steps
 * (`trajectory`, which includes the answer's own calls), else the answer's `toolCalls`.
 */
export function callsOf(input: AssertionInput): readonly ToolCall[] {
  return input.trajectory ?? input.toolCalls
}

/** A tool name as the APIs accept it. */
export const toolName = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'a tool name: letters, digits, _ . : and -'))

/** An expected call: a tool name, or `{ name, arguments }` (arguments matched partially). */
export const expectedCall = z.pipe(
  z.union([
    toolName,
    z.strictObject({ name: toolName, arguments: z.optional(z.record(z.string(), z.unknown())) }),
  ]),
  z.transform((v) => (typeof v === 'string' ? { name: v, arguments: undefined } : v)),
)

/** An expected call, normalized. */
export type ExpectedCall = z.output<typeof expectedCall>

/** Whether `call` is the expected one: same name, and the expected arguments within its own. */
export function callMatches(call: ToolCall, expected: ExpectedCall): boolean {
  if (call.name !== expected.name) return false
  return expected.arguments === undefined || partialMatch(call.arguments, expected.arguments)
}

/**
 * Whether `actual` holds `expected`: objects need every expected key (others may be there),
 * recursively; arrays match element by element with the same length; anything else is equal.
 */
export function partialMatch(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((e, i) => partialMatch(actual[i], e))
    )
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false
    const record = actual as Record<string, unknown>
    return Object.entries(expected).every(
      ([key, value]) => Object.hasOwn(record, key) && partialMatch(record[key], value),
    )
  }
  return Object.is(actual, expected)
}

/** `search({"q":"x"})`, its arguments shortened to `max` characters. */
export function describeCall(call: Pick<ToolCall, 'name' | 'arguments'>, max = 60): string {
  const args = call.arguments === undefined ? '' : safeJson(call.arguments)
  return `${call.name}(${args.length > max ? `${args.slice(0, max - 1)}…` : args})`
}

/** An expected call as written: `lookup` or `lookup({"id":4})`. */
export function describeExpected(expected: ExpectedCall): string {
  return expected.arguments === undefined
    ? expected.name
    : describeCall({ name: expected.name, arguments: expected.arguments })
}

/** The calls as a list for a reason (at most `limit` of them): `search(…), lookup(…)`. */
export function describeCalls(calls: readonly ToolCall[], limit = 8): string {
  if (calls.length === 0) return 'no tool calls'
  const shown = calls.slice(0, limit).map((c) => describeCall(c))
  const more = calls.length > limit ? `, and ${calls.length - limit} more` : ''
  return `${shown.join(', ')}${more}`
}

/** The names of the calls in order: `search → lookup → answer`. */
export function sequenceOf(calls: readonly Pick<ToolCall, 'name'>[], limit = 12): string {
  if (calls.length === 0) return '(no calls)'
  const shown = calls.slice(0, limit).map((c) => c.name)
  return `${shown.join(' → ')}${calls.length > limit ? ` → … (${calls.length} calls)` : ''}`
}

function safeJson(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}
