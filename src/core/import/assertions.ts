import { copyRef } from './refs.js'
import { fileRef, record, type ImportContext } from './context.js'
import { nunjucksToLiquid } from './nunjucks.js'
import { judgeProvider } from './providers.js'
import type { DocPath, PromptfooDocument } from './types.js'

/** A shipgate assertion as written in shipgate.yaml. */
export type ShipgateAssertion = Record<string, unknown>

/** Types whose value shipgate renders with the case's vars (as liquid). */
const TEMPLATED = new Set(['llm-rubric', 'factuality', 'answer-relevance', 'similar', 'pairwise'])

/** Why a promptfoo type with no shipgate twin is left out, where there is more to say. */
const WHY: Readonly<Record<string, string>> = {
  python:
    'shipgate runs no Python inside assertions; rewrite it as a `javascript` assertion (same arguments: output, context)',
  'select-best':
    'compares the outputs of several prompts of one test; shipgate grades each output alone (see `pairwise`)',
  human: 'manual grading has no place in an automated run',
  'model-graded-closedqa': 'use `llm-rubric` with the question as the rubric',
}

/** Keys of a promptfoo assertion that the mapping handles. */
const KNOWN_KEYS = new Set([
  'type',
  'value',
  'threshold',
  'weight',
  'metric',
  'transform',
  'provider',
  'assert',
])

/**
 * Maps one promptfoo assertion (at `path` of `doc`) to shipgate assertions: none when it cannot
 * be mapped (reported), several for an `assert-set` flattened. `vars`: the case's, to render a
 * templated deterministic value now (promptfoo renders every value; shipgate only the judges').
 */
export function mapAssertion(
  ctx: ImportContext,
  doc: PromptfooDocument,
  path: DocPath,
  raw: unknown,
  vars: Readonly<Record<string, unknown>> | undefined,
): ShipgateAssertion[] {
  const spec = record(raw)
  if (spec === undefined || typeof spec.type !== 'string') {
    ctx.unmapped(doc, path, 'assertion', 'not an object with a `type`')
    return []
  }
  const type = spec.type
  for (const key of Object.keys(spec)) {
    if (!KNOWN_KEYS.has(key))
      ctx.unmapped(
        doc,
        [...path, key],
        `assert ${type}: ${key}`,
        'shipgate assertions have no such setting',
      )
  }
  if (type === 'assert-set') return assertSet(ctx, doc, path, spec, vars)
  const base = type.startsWith('not-') ? type.slice(4) : type
  if (!ctx.support.assertionTypes.has(type)) {
    const why = WHY[base] ?? `shipgate has no \`${type}\` assertion type`
    ctx.unmapped(doc, path, `assert type "${type}"`, why)
    return []
  }
  const out: ShipgateAssertion = { type }
  if (TEMPLATED.has(base) || base === 'g-eval') ctx.needsJudge = true
  const value = mapValue(ctx, doc, path, base, spec.value, vars)
  if (value === INVALID) return []
  if (value !== undefined) out.value = value
  if (typeof spec.threshold === 'number')
    out.threshold = threshold(ctx, doc, path, base, spec.threshold)
  if (typeof spec.weight === 'number') out.weight = spec.weight
  if (typeof spec.metric === 'string') out.metric = spec.metric
  if (typeof spec.provider === 'string' || record(spec.provider) !== undefined) {
    const name = judgeProvider(ctx, doc, [...path, 'provider'], spec.provider)
    if (name !== undefined) out.provider = name
  }
  if (spec.transform !== undefined) transform(ctx, doc, [...path, 'transform'], spec.transform, out)
  return [out]
}

const INVALID = Symbol('invalid')

function mapValue(
  ctx: ImportContext,
  doc: PromptfooDocument,
  path: DocPath,
  base: string,
  value: unknown,
  vars: Readonly<Record<string, unknown>> | undefined,
): unknown {
  if (value === undefined) return undefined
  const ref = fileRef(value)
  if (ref !== undefined) return `file://${copyRef(ctx, doc, ref, [...path, 'value'])}`
  if (base === 'g-eval' && typeof value === 'string') return { criteria: value }
  if (typeof value !== 'string' || !value.includes('{')) return value
  if (TEMPLATED.has(base)) {
    const { text, problems } = nunjucksToLiquid(value)
    for (const p of problems)
      ctx.unmapped(doc, [...path, 'value'], `template ${p.construct}`, p.reason)
    return text
  }
  if (base === 'javascript' || base === 'regex') return value
  if (!/\{\{|\{%/.test(value)) return value
  if (vars === undefined) {
    ctx.unmapped(
      doc,
      [...path, 'value'],
      `assert ${base} value "${value}"`,
      'a templated value needs the case vars, which this place has not',
    )
    return INVALID
  }
  const rendered = renderSimple(value, vars)
  if (rendered === undefined) {
    ctx.unmapped(
      doc,
      [...path, 'value'],
      `assert ${base} value "${value}"`,
      'only {{ var }} substitutions are rendered at import; shipgate does not template this assertion type',
    )
    return INVALID
  }
  return rendered
}

/** `{{ a }}` and `{{ a.b }}` replaced by the vars' values; undefined for anything else. */
export function renderSimple(
  text: string,
  vars: Readonly<Record<string, unknown>>,
): string | undefined {
  if (/\{%/.test(text)) return undefined
  let ok = true
  const out = text.replace(/\{\{-?\s*([^}]*?)\s*-?\}\}/g, (_, expr: string) => {
    if (!/^[A-Za-z_][\w]*(\.[A-Za-z_]\w*)*$/.test(expr)) {
      ok = false
      return ''
    }
    let node: unknown = vars
    for (const key of expr.split('.')) node = record(node)?.[key]
    if (node === undefined) {
      ok = false
      return ''
    }
    return typeof node === 'string' ? node : JSON.stringify(node)
  })
  return ok ? out : undefined
}

/** g-eval: promptfoo thresholds a 0–1 score, shipgate the judge's 1–10 overall. */
function threshold(
  ctx: ImportContext,
  doc: PromptfooDocument,
  path: DocPath,
  base: string,
  value: number,
): number {
  if (base !== 'g-eval' || value > 1) return value
  ctx.changed(
    doc,
    [...path, 'threshold'],
    'assert g-eval threshold',
    `promptfoo's 0–1 threshold ${value} is written as ${Math.round(value * 100) / 10} on shipgate's 1–10 scale`,
  )
  return Math.round(value * 100) / 10
}

/** `transform:` on an assertion, a case or a suite: the expression, or its file copied. */
export function transform(
  ctx: ImportContext,
  doc: PromptfooDocument,
  path: DocPath,
  value: unknown,
  into: Record<string, unknown>,
): void {
  const ref = fileRef(value)
  into.transform = ref === undefined ? value : `file://${copyRef(ctx, doc, ref, path)}`
}

/**
 * An `assert-set` without a threshold passes when all of its assertions pass: its members are
 * flattened into the case, weighted so their scores add up to the set's weight. With a threshold
 * (a score over the set alone) it has no shipgate form.
 */
function assertSet(
  ctx: ImportContext,
  doc: PromptfooDocument,
  path: DocPath,
  spec: Record<string, unknown>,
  vars: Readonly<Record<string, unknown>> | undefined,
): ShipgateAssertion[] {
  if (spec.threshold !== undefined) {
    ctx.unmapped(
      doc,
      path,
      'assert-set with threshold',
      'shipgate has no assertion groups: a threshold over a subset of assertions cannot be written; only a case `threshold` over all of them',
    )
    return []
  }
  const members = Array.isArray(spec.assert) ? spec.assert : []
  const mapped = members.map((m, i) => mapAssertion(ctx, doc, [...path, 'assert', i], m, vars))
  const weights = members.map((m) => {
    const w = record(m)?.weight
    return typeof w === 'number' ? w : 1
  })
  const total = weights.reduce((a, b) => a + b, 0)
  const setWeight = typeof spec.weight === 'number' ? spec.weight : 1
  if (typeof spec.metric === 'string')
    ctx.changed(
      doc,
      [...path, 'metric'],
      'assert-set metric',
      'reported per member assertion, not for the set',
    )
  return mapped.flatMap((list, i) =>
    list.map((a) =>
      total > 0 ? { ...a, weight: round((setWeight * (weights[i] ?? 1)) / total) } : a,
    ),
  )
}

const round = (n: number) => Math.round(n * 1e6) / 1e6
