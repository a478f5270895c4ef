import { fileRef, record, safeName, uniqueName, type ImportContext } from './context.js'
import { nunjucksToLiquid } from './nunjucks.js'
import { baseOf, resolveRef } from './refs.js'
import type { DocPath, PromptfooDocument } from './types.js'

const ROLES = new Set(['system', 'user', 'assistant'])

/**
 * Maps `prompts:` (a list, one string, or the legacy `{ path: label }` map) to shipgate prompts;
 * returns their names in order. Text becomes a `.liquid` file, a chat (JSON message list) a
 * `messages` prompt; script prompts (.js, .py) are reported.
 */
export function mapPrompts(ctx: ImportContext, doc: PromptfooDocument, raw: unknown): string[] {
  const items: { value: unknown; path: DocPath; label?: string }[] =
    raw === undefined
      ? []
      : Array.isArray(raw)
        ? raw.map((value: unknown, i) => ({ value, path: ['prompts', i] }))
        : typeof raw === 'string'
          ? [{ value: raw, path: ['prompts'] }]
          : Object.entries(record(raw) ?? {}).map(([k, v]) => ({
              value: k,
              label: String(v),
              path: ['prompts', k],
            }))
  const names: string[] = []
  for (const item of items) names.push(...mapPrompt(ctx, doc, item.path, item.value, item.label))
  return names
}

function mapPrompt(
  ctx: ImportContext,
  doc: PromptfooDocument,
  path: DocPath,
  value: unknown,
  label: string | undefined,
): string[] {
  const obj = record(value)
  if (obj !== undefined) {
    const inner = typeof obj.raw === 'string' ? obj.raw : obj.id
    for (const key of Object.keys(obj)) {
      if (!['raw', 'id', 'label'].includes(key))
        ctx.unmapped(doc, [...path, key], `prompt ${key}`, 'shipgate prompts have no such setting')
    }
    return mapPrompt(ctx, doc, path, inner, typeof obj.label === 'string' ? obj.label : label)
  }
  if (typeof value !== 'string') {
    ctx.unmapped(doc, path, 'prompt', 'not a string or an object with `raw` or `id`')
    return []
  }
  const ref = fileRef(value)
  if (ref === undefined)
    return [
      addPrompt(
        ctx,
        { doc, path, lineOffset: value.includes('\n') ? 1 : 0 },
        label ?? 'prompt',
        value,
      ),
    ]
  if (/\.(js|cjs|mjs|ts|py)(:\w+)?$/.test(ref)) {
    ctx.unmapped(
      doc,
      path,
      `prompt file://${ref}`,
      'prompt functions run code to build the prompt; shipgate prompts are liquid templates: render the template it returns as a .liquid file',
    )
    return []
  }
  const files = ctx.io.glob(resolveRef(doc, ref))
  if (files.length === 0) ctx.unmapped(doc, path, `prompt file://${ref}`, 'no such file')
  return files.flatMap((file) =>
    promptFile(ctx, doc, path, file, files.length === 1 ? label : undefined),
  )
}

/** A prompt file: JSON/YAML chat messages, or text (split into prompts at `---` lines). */
function promptFile(
  ctx: ImportContext,
  doc: PromptfooDocument,
  path: DocPath,
  file: string,
  label: string | undefined,
): string[] {
  const stem = label ?? baseOf(file).replace(/\.\w+$/, '')
  if (/\.(json|ya?ml|jsonl)$/.test(file)) {
    const parsed = ctx.io.document(file)
    if ('problem' in parsed) {
      ctx.unmapped(doc, path, `prompt file://${file}`, parsed.problem)
      return []
    }
    const chat = chatPrompt(ctx, parsed, [], parsed.value)
    return chat === undefined ? [] : [register(ctx, stem, chat)]
  }
  const text = ctx.io.text(file)
  if (text === undefined) {
    ctx.unmapped(doc, path, `prompt file://${file}`, 'cannot read it')
    return []
  }
  const fileDoc: PromptfooDocument = { file, value: text, line: () => 1 }
  const parts = text.split(/^---$/m)
  let line = 0
  return parts.map((part, i) => {
    const name = addPrompt(
      ctx,
      { doc: fileDoc, path: [], lineOffset: line },
      parts.length > 1 ? `${stem}-${i + 1}` : stem,
      part.replace(/^\n|\n$/g, ''),
    )
    line += part.split('\n').length
    return name
  })
}

/** A text prompt; chat-format JSON text becomes a message prompt. */
function addPrompt(
  ctx: ImportContext,
  where: { doc: PromptfooDocument; path: DocPath; lineOffset: number },
  stem: string,
  text: string,
): string {
  const trimmed = text.trim()
  if (trimmed.startsWith('[')) {
    try {
      const chat = chatPrompt(ctx, where.doc, where.path, JSON.parse(trimmed) as unknown)
      if (chat !== undefined) return register(ctx, stem, chat)
    } catch {
      // Not JSON: a text prompt that starts with a bracket.
    }
  }
  const liquid = translate(ctx, where, text)
  const name = uniqueName(safeName(stem, 'prompt'), new Set(Object.keys(ctx.prompts)))
  ctx.prompts[name] = ctx.addFile(`prompts/${name}.liquid`, liquid)
  return name
}

function translate(
  ctx: ImportContext,
  where: { doc: PromptfooDocument; path: DocPath; lineOffset: number },
  text: string,
): string {
  const { text: liquid, problems } = nunjucksToLiquid(text)
  const line = where.doc.line(where.path) + where.lineOffset
  for (const p of problems) {
    ctx.findings.push({
      kind: 'unmapped',
      file: where.doc.file,
      line: line + p.line,
      feature: `template ${p.construct}`,
      reason: `${p.reason}; kept as literal text`,
    })
  }
  return liquid
}

/** `[{ role, content }]` → `{ messages }`, or undefined (reported) when it is not that. */
function chatPrompt(
  ctx: ImportContext,
  doc: PromptfooDocument,
  path: DocPath,
  value: unknown,
): Record<string, unknown> | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    ctx.unmapped(
      doc,
      path,
      'prompt',
      'a JSON or YAML prompt file must be a list of { role, content } messages',
    )
    return undefined
  }
  const messages: { role: string; content: string }[] = []
  for (const [i, m] of value.entries()) {
    const msg = record(m)
    if (
      msg === undefined ||
      typeof msg.role !== 'string' ||
      !ROLES.has(msg.role) ||
      typeof msg.content !== 'string'
    ) {
      ctx.unmapped(
        doc,
        [...path, i],
        'chat message',
        'only system, user and assistant messages with text content map (no images, tool calls or content parts)',
      )
      return undefined
    }
    const content = translate(
      ctx,
      { doc, path: [...path, i, 'content'], lineOffset: 0 },
      msg.content,
    )
    messages.push({ role: msg.role, content })
  }
  return { messages }
}

function register(ctx: ImportContext, stem: string, prompt: unknown): string {
  const name = uniqueName(safeName(stem, 'prompt'), new Set(Object.keys(ctx.prompts)))
  ctx.prompts[name] = prompt
  return name
}
