import type { ToolCall } from '../contracts/provider.js'
import { getJsonPath } from '../utils/json-path.js'
import * as z from '../utils/zod.js'

/*
 * Tool calls and steps in the answer of the user's own code (http, exec): where they are (JSON
 * paths in the options) and how an item becomes a normalized ToolCall.
 */

/** Options of the providers that call the user's code: where its tool calls and steps are. */
export const toolCallPaths = {
  toolCalls: z.optional(
    z
      .string()
      .check(
        z.describe(
          "JSON path of the answer's tool calls: a list of { name, arguments, id? } (docs/providers.md, agents that report their steps).",
        ),
      ),
  ),
  trajectory: z.optional(
    z
      .string()
      .check(
        z.describe(
          'JSON path of every tool call of a multi-step run, in order: a list of { name, arguments, result?, step? }.',
        ),
      ),
  ),
}

/** The calls found in an answer, or what is wrong with them (naming the field). */
export type CallsAt =
  | {
      readonly ok: true
      readonly toolCalls?: readonly ToolCall[]
      readonly trajectory?: readonly ToolCall[]
    }
  | { readonly ok: false; readonly message: string }

/**
 * Reads the answer's tool calls and trajectory at the configured paths. A path that resolves to
 * nothing gives no calls (a run that called no tool may leave the field out); a value that is
 * not a list of calls is an error naming the field and the item.
 */
export function callsAt(
  answer: unknown,
  paths: { readonly toolCalls?: string | undefined; readonly trajectory?: string | undefined },
): CallsAt {
  const toolCalls = listAt(answer, paths.toolCalls, 'toolCalls')
  if (typeof toolCalls === 'string') return { ok: false, message: toolCalls }
  const trajectory = listAt(answer, paths.trajectory, 'trajectory')
  if (typeof trajectory === 'string') return { ok: false, message: trajectory }
  const found: { ok: true; toolCalls?: readonly ToolCall[]; trajectory?: readonly ToolCall[] } = {
    ok: true,
  }
  if (toolCalls !== undefined && toolCalls.length > 0) found.toolCalls = toolCalls
  if (trajectory !== undefined) found.trajectory = trajectory
  return found
}

/** The calls at `path`, `undefined` when there is no path or nothing there, or a message. */
function listAt(
  answer: unknown,
  path: string | undefined,
  option: string,
): ToolCall[] | undefined | string {
  if (path === undefined) return undefined
  const value = getJsonPath(answer, path)
  if (value === undefined || value === null) return undefined
  const where = `${option} "${path}"`
  if (!Array.isArray(value))
    return `the answer's ${where} is ${kindOf(value)}, not a list of tool calls`
  const calls: ToolCall[] = []
  for (let i = 0; i < value.length; i++) {
    const call = toolCallOf(value[i])
    if (typeof call === 'string') return `the answer's ${where}, item ${i}: ${call}`
    calls.push(call)
  }
  return calls
}

/**
 * One item as a ToolCall. Accepted spellings: the name as `name` or `tool` (or OpenAI's
 * `function.name`), the arguments as `arguments`, `args` or `input` (or `function.arguments`;
 * JSON text is parsed, and kept as text when it does not parse), the tool's answer as `result`
 * or `output`, and `id`, `step`.
 */
export function toolCallOf(item: unknown): ToolCall | string {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    return `${kindOf(item)}, not an object { name, arguments }`
  }
  const record = item as Record<string, unknown>
  const fn = isRecord(record.function) ? record.function : undefined
  const name = record.name ?? record.tool ?? fn?.name
  if (typeof name !== 'string' || name === '') return 'has no tool name (`name` or `tool`)'
  const step = record.step
  if (step !== undefined && !(Number.isInteger(step) && (step as number) >= 0)) {
    return '`step` is not a whole number ≥ 0'
  }
  const call: { -readonly [K in keyof ToolCall]: ToolCall[K] } = {
    name,
    arguments: parsedArguments(record.arguments ?? record.args ?? record.input ?? fn?.arguments),
  }
  if (typeof record.id === 'string') call.id = record.id
  const result = record.result ?? record.output
  if (result !== undefined) call.result = result
  if (step !== undefined) call.step = step as number
  return call
}

function parsedArguments(value: unknown): unknown {
  if (value === undefined || value === null) return {}
  if (typeof value !== 'string') return value
  try {
    return JSON.parse(value) as unknown
  } catch {
    return value
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}
