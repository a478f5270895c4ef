import type { ImportContext } from './context.js'
import type { PromptfooDocument } from './types.js'

/** promptfoo's `__expected` shorthands that are not the type's own name. */
const ALIASES: Readonly<Record<string, string>> = {
  grade: 'llm-rubric',
  fn: 'javascript',
  eval: 'javascript',
}

/** promptfoo types a CSV cell may name besides shipgate's own (reported if unsupported). */
const PROMPTFOO_TYPES = new Set([
  'python',
  'contains-json',
  'is-xml',
  'contains-xml',
  'is-sql',
  'contains-sql',
  'levenshtein',
  'rouge-n',
  'bleu',
  'perplexity',
  'model-graded-closedqa',
  'webhook',
  'classifier',
  'moderation',
])

const EXPECTED = /^__expected\d*$/

/**
 * A promptfoo CSV row (columns by header) as a promptfoo test object: `__expected*` cells become
 * assertions, `__description`, `__threshold`, `__metric` and `__metadata:KEY` their fields,
 * other columns vars. Columns with no shipgate meaning are reported at the row's line.
 */
export function csvTest(
  ctx: ImportContext,
  doc: PromptfooDocument,
  index: number,
  row: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const vars: Record<string, string> = {}
  const assert: Record<string, unknown>[] = []
  const metadata: Record<string, string> = {}
  const test: Record<string, unknown> = { vars, assert }
  for (const [column, cell] of Object.entries(row)) {
    if (column.startsWith('__') && cell.trim() === '') continue
    if (EXPECTED.test(column)) assert.push(expectation(ctx, cell))
    else if (column === '__description') test.description = cell
    else if (column === '__threshold') test.threshold = Number(cell)
    else if (column === '__metric') test.metric = cell
    else if (column.startsWith('__metadata:')) metadata[column.slice('__metadata:'.length)] = cell
    else if (column.startsWith('__'))
      ctx.unmapped(doc, [index], `CSV column ${column}`, 'shipgate cases have no such field')
    else vars[column] = cell
  }
  if (typeof test.metric === 'string') for (const a of assert) a.metric = test.metric
  delete test.metric
  if (Object.keys(metadata).length > 0) test.metadata = metadata
  return test
}

/** `contains: x`, `similar(0.8): x`, `is-json`, `grade: rubric`; anything else is `equals`. */
function expectation(ctx: ImportContext, cell: string): Record<string, unknown> {
  const m = /^(not-)?([a-z][a-z-]*)(?:\(([\d.]+)\))?(?::\s?([\s\S]*))?$/.exec(cell.trim())
  const name = m === null ? undefined : (ALIASES[m[2] as string] ?? m[2])
  const known =
    name !== undefined &&
    (ctx.support.assertionTypes.has(name) ||
      PROMPTFOO_TYPES.has(name) ||
      Object.hasOwn(ALIASES, m?.[2] ?? ''))
  if (m === null || name === undefined || !known) return { type: 'equals', value: cell }
  const out: Record<string, unknown> = { type: `${m[1] ?? ''}${name}` }
  const value = m[4]
  if (value !== undefined) {
    out.value = /^(i?contains-(any|all))$/.test(name)
      ? value.split(',').map((v) => v.trim())
      : value
  }
  if (m[3] !== undefined) out.threshold = Number(m[3])
  return out
}
