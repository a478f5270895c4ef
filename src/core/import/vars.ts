import { fileRef, record, type ImportContext } from './context.js'
import { resolveRef } from './refs.js'
import type { DocPath, PromptfooDocument } from './types.js'

/** Vars: an object, or a `file://` YAML/JSON of one; `file://` values loaded. */
export function vars(
  ctx: ImportContext,
  doc: PromptfooDocument,
  path: DocPath,
  raw: unknown,
): Record<string, unknown> {
  const ref = fileRef(raw)
  if (ref !== undefined) {
    const loaded = ctx.io.document(resolveRef(doc, ref))
    if ('problem' in loaded) {
      ctx.unmapped(doc, path, `vars ${String(raw)}`, loaded.problem)
      return {}
    }
    return vars(ctx, loaded, [], loaded.value)
  }
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(record(raw) ?? {})) {
    const file = fileRef(value)
    if (file === undefined) out[key] = value
    else {
      const loaded = varFile(ctx, doc, [...path, key], file)
      if (loaded !== undefined) out[key] = loaded
    }
  }
  return out
}

/** A `file://` var: text as a string, YAML/JSON parsed; code and binary files reported. */
function varFile(ctx: ImportContext, doc: PromptfooDocument, path: DocPath, file: string): unknown {
  const at = resolveRef(doc, file)
  if (/\.(js|cjs|mjs|ts|py)(:\w+)?$/.test(file)) {
    ctx.unmapped(
      doc,
      path,
      `var file://${file}`,
      'vars computed by code are not imported; save the value it returns',
    )
    return undefined
  }
  if (/\.(png|jpe?g|gif|webp|pdf|mp3|wav|mp4)$/i.test(file)) {
    ctx.unmapped(
      doc,
      path,
      `var file://${file}`,
      'shipgate prompts are text: images, audio and PDFs are not sent',
    )
    return undefined
  }
  if (/\.(ya?ml|json)$/i.test(file)) {
    const loaded = ctx.io.document(at)
    if (!('problem' in loaded)) return loaded.value
  }
  const text = ctx.io.text(at)
  if (text === undefined) ctx.unmapped(doc, path, `var file://${file}`, `cannot read ${at}`)
  return text
}

/** The cross product of list-valued vars (a var that is a list makes one case per item). */
export function expand(
  vars: Record<string, unknown>,
  crossed: (key: string) => boolean,
): Record<string, unknown>[] {
  let out: Record<string, unknown>[] = [{}]
  for (const [key, value] of Object.entries(vars)) {
    const values: unknown[] =
      Array.isArray(value) && value.length > 0 && crossed(key) ? value : [value]
    out = out.flatMap((partial) => values.map((v) => ({ ...partial, [key]: v })))
  }
  return out
}
