import type { $ZodType as ZodType } from 'zod/v4/core'
import type {
  AssertionContext,
  AssertionInput,
  AssertionSpec,
  Grade,
  Judge,
  JudgeAnswer,
  JudgeCallRecord,
  JudgePromptTemplate,
  JudgeUsage,
} from '../contracts/assertion.js'
import type { ChatMessage, StructuredOutput } from '../contracts/provider.js'
import { addUsage, type Usage } from '../contracts/usage.js'
import { ShipgateError } from '../errors.js'
import { compilePrompt, RenderError } from '../prompts/template.js'
import * as z from '../utils/zod.js'

/** A built-in judge prompt: a system and a user template (liquid), versioned by content. */
export interface BuiltinJudgePrompt {
  readonly system: string
  readonly user: string
}

/** The judge and prompt a model-graded check runs with, resolved when it is prepared. */
export interface PreparedJudge {
  readonly judge: Judge
  readonly prompt: JudgePromptTemplate
}

/**
 * Resolves the judge provider and the prompt of a model-graded assertion: the assertion's own
 * `provider` and `prompt`, else the suite's or the config's `judge:`, else the built-in prompt.
 */
export async function prepareJudge(
  spec: AssertionSpec,
  context: AssertionContext,
  builtin: BuiltinJudgePrompt,
): Promise<PreparedJudge> {
  const judge = await context.judge('chat', spec.provider)
  const prompt =
    context.judgePrompt(baseType(spec.type), spec.prompt) ?? builtinPrompt(spec, builtin)
  return { judge, prompt }
}

/** The builtin judge prompts, compiled on first use; their text is fixed, so they never change. */
const compiled = new Map<BuiltinJudgePrompt, JudgePromptTemplate>()

function builtinPrompt(spec: AssertionSpec, builtin: BuiltinJudgePrompt): JudgePromptTemplate {
  let prompt = compiled.get(builtin)
  if (prompt === undefined) {
    prompt = compilePrompt(`builtin:${baseType(spec.type)}`, [
      { role: 'system', source: builtin.system },
      { role: 'user', source: builtin.user },
    ])
    compiled.set(builtin, prompt)
  }
  return prompt
}

function baseType(type: string): string {
  return type.startsWith('not-') ? type.slice(4) : type
}

/**
 * The variables every judge prompt can use: `input` (the last user message of the prompt under
 * test), `output`, `vars` (the case's), plus the check's own (`rubric`, `reference`, ...).
 */
export function judgeVars(
  input: AssertionInput,
  own: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const users = input.prompt.filter((m) => m.role === 'user')
  return { input: users.at(-1)?.content ?? '', output: input.output, vars: input.vars, ...own }
}

/** Renders a judge prompt; a missing variable becomes the check's error, not a throw. */
export function renderJudgePrompt(
  prompt: JudgePromptTemplate,
  vars: Readonly<Record<string, unknown>>,
): readonly ChatMessage[] | { error: string } {
  try {
    return prompt.render(vars)
  } catch (error) {
    if (error instanceof RenderError) {
      return { error: `judge prompt "${prompt.name}" does not render: ${error.message}` }
    }
    throw error
  }
}

/** The shape a judge must answer in: a zod schema to validate and its JSON schema to send. */
export interface AnswerShape<T> {
  readonly structured: StructuredOutput
  readonly schema: ZodType<T>
}

/**
 * An answer shape from a zod object schema. The JSON schema sent to the API leaves out range
 * and length keywords, which strict structured-output modes reject; zod still checks them.
 */
export function answerShape<T>(
  name: string,
  description: string,
  schema: ZodType<T>,
): AnswerShape<T> {
  const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' })
  const { $schema: _, ...rest } = stripBounds(json) as Record<string, unknown>
  return { structured: { name, description, schema: rest }, schema }
}

const BOUNDS = new Set([
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'pattern',
  'format',
])

function stripBounds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripBounds)
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) if (!BOUNDS.has(key)) out[key] = stripBounds(v)
  return out
}

/**
 * Asks the judge for an answer of `shape`. A malformed answer (not JSON, or not the shape) is
 * sent back once with what was wrong; a second malformed answer, or a failed call, is an error.
 */
export async function askJudge<T>(
  judge: Judge,
  messages: readonly ChatMessage[],
  shape: AnswerShape<T>,
): Promise<JudgeAnswer<T>> {
  const calls: JudgeCallRecord[] = []
  let conversation = messages
  for (let attempt = 1; ; attempt++) {
    const answer = await judge.complete(conversation, shape.structured)
    calls.push(...answer.calls)
    if (!answer.ok) return { ok: false, message: answer.message, calls }
    const parsed = parseAnswer(answer.value, shape.schema)
    if (parsed.ok) return { ok: true, value: parsed.value, calls }
    if (attempt === 2) {
      return { ok: false, message: `judge answered malformed twice: ${parsed.problem}`, calls }
    }
    conversation = [
      ...messages,
      { role: 'assistant', content: answer.value },
      {
        role: 'user',
        content: `That answer is not valid: ${parsed.problem}. Reply again with only a JSON object of the required shape.`,
      },
    ]
  }
}

/** Parses a judge's text as JSON (a fenced or embedded object too) and validates it. */
export function parseAnswer<T>(
  text: string,
  schema: ZodType<T>,
): { ok: true; value: T } | { ok: false; problem: string } {
  const json = extractJson(text)
  if (json === undefined) return { ok: false, problem: 'it is not a JSON object' }
  const result = z.safeParse(schema, json)
  if (result.success) return { ok: true, value: result.data }
  const issue = result.error.issues[0]
  const at = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`
  return { ok: false, problem: `${issue?.message ?? 'wrong shape'}${at}` }
}

function extractJson(text: string): unknown {
  const trimmed = text.trim()
  const candidates = [trimmed]
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(trimmed)
  if (fenced?.[1] !== undefined) candidates.push(fenced[1].trim())
  const first = trimmed.indexOf('{')
  const last = trimmed.lastIndexOf('}')
  if (first >= 0 && last > first) candidates.push(trimmed.slice(first, last + 1))
  for (const candidate of candidates) {
    try {
      const value = JSON.parse(candidate) as unknown
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value
    } catch {
      // try the next candidate
    }
  }
  return undefined
}

/** The bookkeeping of a check's judge calls. */
export function judgeUsage(
  judge: Judge,
  calls: readonly JudgeCallRecord[],
  promptVersion?: string,
): JudgeUsage {
  let usage: Usage | null = null
  let cost: number | null = 0
  let latencyMs = 0
  let cached = calls.length > 0
  for (const call of calls) {
    if (call.usage !== null) usage = usage === null ? call.usage : addUsage(usage, call.usage)
    cost = cost === null || call.costUsd === null ? null : cost + call.costUsd
    latencyMs += call.latencyMs
    cached &&= call.cached
  }
  return {
    provider: judge.id,
    calls: calls.length,
    usage,
    costUsd: calls.length === 0 ? null : cost,
    latencyMs,
    cached,
    ...(promptVersion === undefined ? {} : { promptVersion }),
  }
}

/** A check that could not decide: an error, never a pass. */
export function judgeError(message: string, judge?: JudgeUsage): Grade {
  return {
    pass: false,
    score: 0,
    reason: `judge error: ${message}`,
    error: true,
    ...(judge === undefined ? {} : { judge }),
  }
}

/** Cosine similarity of two vectors; 0 when either is all zeros. */
export function cosine(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) {
    throw new ShipgateError(
      'internal',
      `embedding sizes differ (${a.length} and ${b.length}): the embeddings provider changed`,
    )
  }
  let dot = 0
  let na = 0
  let nb = 0
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number
    const y = b[i] as number
    dot += x * y
    na += x * x
    nb += y * y
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb)
}

/** A string, or a list of strings, to template with the case's vars. */
export const references = z.union([
  z.string().check(z.minLength(1)),
  z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
])
