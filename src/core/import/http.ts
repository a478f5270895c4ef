import { record, type ImportContext } from './context.js'
import { envRefs } from './env.js'
import { nunjucksToLiquid } from './nunjucks.js'
import type { Entry } from './providers.js'
import type { DocPath, PromptfooDocument } from './types.js'

/** promptfoo's `http` provider (or a URL as the id) as shipgate's. */
export function http(
  ctx: ImportContext,
  doc: PromptfooDocument,
  path: DocPath,
  id: string,
  config: Record<string, unknown>,
): Entry | undefined {
  const url = typeof config.url === 'string' ? config.url : /^https?:\/\//.test(id) ? id : undefined
  if (url === undefined) {
    ctx.unmapped(doc, path, `provider ${id}`, 'an http provider needs `config.url`')
    return undefined
  }
  const entry: Entry = { type: 'http', url: envRefs(ctx, url) }
  for (const [key, value] of Object.entries(config)) {
    const at = [...path, key]
    if (key === 'url') continue
    if (key === 'method' && typeof value === 'string') entry.method = value.toUpperCase()
    else if (key === 'headers' && record(value) !== undefined)
      entry.headers = headers(ctx, doc, at, record(value) ?? {})
    else if (key === 'body')
      entry.body = template(ctx, doc, at, typeof value === 'string' ? parseJson(value) : value)
    else if (
      (key === 'transformResponse' || key === 'responseParser') &&
      typeof value === 'string'
    ) {
      const output = outputPath(value)
      if (output === undefined)
        ctx.unmapped(
          doc,
          at,
          `provider ${id}: ${key}`,
          'only a JSON path such as `json.choices[0].message.content` maps (to `output`); functions and files do not',
        )
      else if (output !== '') entry.output = output
    } else
      ctx.unmapped(
        doc,
        at,
        `provider ${id}: config.${key}`,
        "shipgate's http provider has no such setting",
      )
  }
  return entry
}

/** `json.a.b[0]` → `a.b[0]`; `json` → '' (the whole body); anything else undefined. */
function outputPath(text: string): string | undefined {
  const m = /^\s*json((?:\.[A-Za-z_$][\w$]*|\[\d+\]|\["[^"]*"\])*)\s*$/.exec(text)
  if (m === null) return undefined
  return (m[1] ?? '').replace(/^\./, '')
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** A body: strings become liquid templates (env refs → `${VAR}`), recursively. */
function template(
  ctx: ImportContext,
  doc: PromptfooDocument,
  path: DocPath,
  value: unknown,
): unknown {
  if (typeof value === 'string') {
    const { text, problems } = nunjucksToLiquid(envRefs(ctx, value))
    for (const p of problems) ctx.unmapped(doc, path, `template ${p.construct}`, p.reason)
    return text
  }
  if (Array.isArray(value)) return value.map((v, i) => template(ctx, doc, [...path, i], v))
  const obj = record(value)
  if (obj === undefined) return value
  return Object.fromEntries(
    Object.entries(obj).map(([k, v]) => [k, template(ctx, doc, [...path, k], v)]),
  )
}

/**
 * Headers, with `{{env.X}}` as `${X}`. A credential header written literally is left out and
 * reported: shipgate.yaml is committed, and its loader refuses literal secrets.
 */
export function headers(
  ctx: ImportContext,
  doc: PromptfooDocument,
  path: DocPath,
  map: Record<string, unknown>,
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(map)) {
    const text = String(value)
    if (CREDENTIAL.test(name) && !/\{\{-?\s*env\./.test(text)) {
      ctx.unmapped(
        doc,
        [...path, name],
        `header ${name}`,
        'a literal credential is never copied into shipgate.yaml; write it as {{env.NAME}} in promptfoo (or ${NAME} in shipgate.yaml) and set NAME',
      )
    } else out[name] = envRefs(ctx, text)
  }
  return out
}

const CREDENTIAL = /authorization|api[-_]?key|token|secret|password/i
