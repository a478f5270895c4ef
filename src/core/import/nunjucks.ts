/**
 * Nunjucks (promptfoo's template language) to liquid (shipgate's). Variables, literals, the
 * filters that have a liquid twin, `if`/`elif`/`else`, `for`, `set` of a simple value, `raw` and
 * comments translate; anything else (macros, includes, expressions with operators, filters
 * liquid lacks) is kept as literal text inside `{% raw %}` and reported with its line.
 */

/** A construct that could not be translated, at a 0-based line of the template. */
export interface TemplateProblem {
  readonly line: number
  readonly construct: string
  readonly reason: string
}

/** nunjucks filter → liquid filter (`null`: dropped, liquid does not escape output). */
const FILTERS: Readonly<Record<string, string | null>> = {
  upper: 'upcase',
  lower: 'downcase',
  capitalize: 'capitalize',
  trim: 'strip',
  length: 'size',
  join: 'join',
  default: 'default',
  d: 'default',
  dump: 'json',
  first: 'first',
  last: 'last',
  reverse: 'reverse',
  sort: 'sort',
  replace: 'replace',
  escape: 'escape',
  e: 'escape',
  safe: null,
  round: 'round',
  abs: 'abs',
  urlencode: 'url_encode',
  striptags: 'strip_html',
  nl2br: 'newline_to_br',
}

const LOOP_VARS: Readonly<Record<string, string>> = {
  index: 'index',
  index0: 'index0',
  first: 'first',
  last: 'last',
  length: 'length',
  revindex: 'rindex',
  revindex0: 'rindex0',
}

const TOKEN = /\{\{-?([\s\S]*?)-?\}\}|\{%-?([\s\S]*?)-?%\}|\{#([\s\S]*?)#\}/g
const PATH = /^[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*|\[(?:\d+|"[^"]*"|'[^']*')\])*$/
const LITERAL = /^(?:"[^"\\]*"|'[^'\\]*'|-?\d+(?:\.\d+)?|true|false|none|null)$/

/** Translates a nunjucks template; `problems` lists what was kept as literal text. */
export function nunjucksToLiquid(source: string): { text: string; problems: TemplateProblem[] } {
  const problems: TemplateProblem[] = []
  let out = ''
  let last = 0
  let inRaw = false
  const token = new RegExp(TOKEN.source, 'g')
  for (let match = token.exec(source); match !== null; match = token.exec(source)) {
    const index = match.index
    out += source.slice(last, index)
    let whole = match[0]
    const line = countLines(source, index)
    if (inRaw) {
      inRaw = !/^\{%-?\s*endraw\s*-?%\}$/.test(whole)
      out += whole
      last = index + whole.length
      continue
    }
    const result =
      match[1] !== undefined
        ? output(match[1], whole)
        : match[2] !== undefined
          ? tag(match[2], whole)
          : { liquid: `{% comment %}${match[3] ?? ''}{% endcomment %}` }
    if ('reason' in result) {
      problems.push({ line, construct: whole.slice(0, 80), reason: result.reason })
      // A block tag (macro, call, filter, block) is kept whole, up to its end tag.
      const block = /^\{%-?\s*(macro|call|filter|block)\b/.exec(whole)?.[1]
      const end = block === undefined ? -1 : source.indexOf(`end${block}`, index + whole.length)
      const close = end === -1 ? -1 : source.indexOf('%}', end)
      if (close !== -1) whole = source.slice(index, close + 2)
      out += `{% raw %}${whole}{% endraw %}`
    } else {
      out += result.liquid
      if (/^\{%-?\s*raw\s*-?%\}$/.test(whole)) inRaw = true
    }
    last = index + whole.length
    token.lastIndex = last
  }
  return { text: out + source.slice(last), problems }
}

type Translated = { liquid: string } | { reason: string }

function countLines(text: string, end: number): number {
  let lines = 0
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) lines++
  return lines
}

/** `{{ expr | filter(args) }}`. */
function output(inner: string, whole: string): Translated {
  const expr = expression(inner.trim())
  if ('reason' in expr) return expr
  const open = whole.startsWith('{{-') ? '{{-' : '{{'
  const close = whole.endsWith('-}}') ? '-}}' : '}}'
  return { liquid: `${open} ${expr.liquid} ${close}` }
}

/** A value with filters: `path | f | g(a, b)`. */
function expression(text: string): Translated {
  const [head, ...filters] = splitTop(text, '|')
  const base = operand((head ?? '').trim())
  if ('reason' in base) return base
  let liquid = base.liquid
  for (const f of filters) {
    const m = /^\s*([A-Za-z_]\w*)\s*(?:\(([\s\S]*)\))?\s*$/.exec(f)
    if (m === null) return { reason: `filter "${f.trim()}" is not a simple filter call` }
    const name = m[1] as string
    const mapped = FILTERS[name]
    if (mapped === undefined)
      return { reason: `nunjucks filter "${name}" has no liquid equivalent` }
    if (mapped === null) continue
    const args = m[2] === undefined || m[2].trim() === '' ? [] : splitTop(m[2], ',')
    const kept = name === 'round' ? args.slice(0, 1) : args
    const operands = kept.map((a) => operand(a.trim()))
    const bad = operands.find((o) => 'reason' in o)
    if (bad !== undefined) return bad
    const list = operands.map((o) => (o as { liquid: string }).liquid).join(', ')
    liquid += list === '' ? ` | ${mapped}` : ` | ${mapped}: ${list}`
  }
  return { liquid }
}

/** A variable path or a literal; `loop.x` becomes `forloop.x`. */
function operand(text: string): Translated {
  if (LITERAL.test(text)) return { liquid: text === 'none' || text === 'null' ? 'nil' : text }
  if (!PATH.test(text)) return { reason: `expression "${text}" is not a variable or a literal` }
  const loop = /^loop\.(\w+)$/.exec(text)
  if (loop !== null) {
    const name = LOOP_VARS[loop[1] as string]
    return name === undefined
      ? { reason: `loop.${loop[1]} has no liquid equivalent` }
      : { liquid: `forloop.${name}` }
  }
  return { liquid: text }
}

/** `{% ... %}` tags. */
function tag(inner: string, whole: string): Translated {
  const body = inner.trim()
  const [word = '', ...rest] = body.split(/\s+/)
  const tail = rest.join(' ')
  const wrap = (content: string): Translated => ({
    liquid: `${whole.startsWith('{%-') ? '{%-' : '{%'} ${content} ${whole.endsWith('-%}') ? '-%}' : '%}'}`,
  })
  switch (word) {
    case 'if':
    case 'elif': {
      const cond = condition(tail)
      return 'reason' in cond ? cond : wrap(`${word === 'if' ? 'if' : 'elsif'} ${cond.liquid}`)
    }
    case 'else':
    case 'endif':
    case 'endfor':
    case 'raw':
    case 'endraw':
      return wrap(word)
    case 'for': {
      const m = /^([A-Za-z_]\w*)\s+in\s+(.+)$/.exec(tail)
      if (m === null) return { reason: 'only `for x in list` loops translate' }
      const list = operand((m[2] as string).trim())
      return 'reason' in list ? list : wrap(`for ${m[1]} in ${list.liquid}`)
    }
    case 'set': {
      const m = /^([A-Za-z_]\w*)\s*=\s*([\s\S]+)$/.exec(tail)
      if (m === null) return { reason: 'only `set name = value` translates' }
      const value = expression((m[2] as string).trim())
      return 'reason' in value ? value : wrap(`assign ${m[1]} = ${value.liquid}`)
    }
    default:
      return { reason: `the nunjucks tag "${word}" has no liquid equivalent here` }
  }
}

/** `a`, `a == b`, `a and b or c`: operands with comparison and boolean operators. */
function condition(text: string): Translated {
  const parts = text.split(/\s+(and|or)\s+/)
  const out: string[] = []
  for (const [i, part] of parts.entries()) {
    if (i % 2 === 1) {
      out.push(part)
      continue
    }
    const m = /^(.+?)\s*(==|!=|>=|<=|>|<)\s*(.+)$/.exec(part.trim())
    const sides = m === null ? [part.trim()] : [m[1] as string, m[3] as string]
    const ops = sides.map((s) => operand(s.trim()))
    const bad = ops.find((o) => 'reason' in o)
    if (bad !== undefined && 'reason' in bad)
      return { reason: `condition "${text}": ${bad.reason}` }
    const [a, b] = ops.map((o) => (o as { liquid: string }).liquid)
    out.push(m === null ? (a as string) : `${a} ${m[2]} ${b}`)
  }
  return { liquid: out.join(' ') }
}

/** Splits on `sep` outside quotes and brackets. */
function splitTop(text: string, sep: string): string[] {
  const parts: string[] = []
  let depth = 0
  let quote: string | undefined
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string
    if (quote !== undefined) {
      if (c === quote) quote = undefined
    } else if (c === '"' || c === "'") quote = c
    else if (c === '(' || c === '[') depth++
    else if (c === ')' || c === ']') depth--
    else if (c === sep && depth === 0) {
      parts.push(text.slice(start, i))
      start = i + 1
    }
  }
  parts.push(text.slice(start))
  return parts
}
