import type { AssertionInput } from '../../contracts/assertion.js'
import type { ChatMessage, ToolCall } from '../../contracts/provider.js'
import type { Usage } from '../../contracts/usage.js'
import { usageError } from '../../errors.js'

/**
 * An output with what the checks may see besides its text: the tool calls of an agent, the
 * vars and prompt a judge quotes, the latency and cost that `latency` and `cost` bound.
 */
export interface GradedOutput {
  /** The answer: a string, or any other value (graded as its JSON). */
  readonly output: unknown
  /** The answer's tool calls, in order. */
  readonly toolCalls?: readonly ToolCall[]
  /** Every tool call of a multi-step run. */
  readonly trajectory?: readonly ToolCall[]
  /** The case's variables (templated into rubrics, given to judges). */
  readonly vars?: Readonly<Record<string, unknown>>
  /** The prompt that produced the output; a string is one user message. */
  readonly prompt?: string | readonly ChatMessage[]
  readonly latencyMs?: number
  readonly costUsd?: number | null
  readonly usage?: Usage | null
}

/** What the checks see of an output when the caller does not say: a case's vars and prompt. */
export interface InputDefaults {
  readonly vars: Readonly<Record<string, unknown>>
  readonly prompt: readonly ChatMessage[]
}

const KEYS = new Set<string>([
  'output',
  'toolCalls',
  'trajectory',
  'vars',
  'prompt',
  'latencyMs',
  'costUsd',
  'usage',
])

/** Whether `value` is a {@link GradedOutput} rather than an output value of its own. */
export function isGradedOutput(value: unknown): value is GradedOutput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  if (!('output' in value)) return false
  return Object.keys(value).every((key) => KEYS.has(key))
}

/**
 * The check input of `received`: a string is the output's text; a {@link GradedOutput} gives
 * its parts; any other value is graded as its JSON. Throws a usage error for `undefined`.
 */
export function inputOf(received: unknown, defaults: InputDefaults): AssertionInput {
  const given: GradedOutput = isGradedOutput(received) ? received : { output: received }
  const prompt = given.prompt ?? defaults.prompt
  const input: { -readonly [K in keyof AssertionInput]: AssertionInput[K] } = {
    output: textOf(given.output),
    vars: given.vars ?? defaults.vars,
    prompt: typeof prompt === 'string' ? [{ role: 'user', content: prompt }] : prompt,
    latencyMs: given.latencyMs ?? 0,
    costUsd: given.costUsd ?? null,
    usage: given.usage ?? null,
    toolCalls: given.toolCalls ?? [],
  }
  if (given.trajectory !== undefined) input.trajectory = given.trajectory
  return input
}

function textOf(output: unknown): string {
  if (typeof output === 'string') return output
  const json = output === undefined ? undefined : JSON.stringify(output)
  if (json === undefined) {
    throw usageError(
      `cannot grade ${typeof output === 'undefined' ? 'undefined' : typeof output}: no output`,
      'pass the output as a string, a JSON value, or { output, toolCalls, vars }',
    )
  }
  return json
}
