import type { ImportContext } from './context.js'
import type { DocPath, PromptfooDocument } from './types.js'

/** `a/b/../c` → `a/c`: a relative POSIX path normalized ('' for the directory itself). */
export function normalizePath(path: string): string {
  const out: string[] = []
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..' && out.length > 0 && out.at(-1) !== '..') out.pop()
    else out.push(part)
  }
  return out.join('/')
}

/** The directory part of a relative path ('' at the top). */
export function dirOf(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash === -1 ? '' : path.slice(0, slash)
}

/** The last part of a path. */
export function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

/** A `file://` path written in `doc`, relative to the promptfoo config's directory. */
export function resolveRef(doc: PromptfooDocument, ref: string): string {
  return ref.startsWith('/') ? ref : normalizePath(`${dirOf(doc.file)}/${ref}`)
}

/**
 * Copies the file `ref` (written in `doc`, maybe with a `:function` suffix) into the output and
 * returns the reference to write: the same relative place, or `imported/NAME` for a file outside
 * the config's directory.
 */
export function copyRef(
  ctx: ImportContext,
  doc: PromptfooDocument,
  ref: string,
  path: DocPath = [],
): string {
  const m = /^(.*?\.[A-Za-z0-9]+)(:[A-Za-z_$][\w$]*)?$/.exec(ref)
  const file = m?.[1] ?? ref
  const suffix = m?.[2] ?? ''
  const source = resolveRef(doc, file)
  const text = ctx.io.text(source)
  if (text === undefined) {
    ctx.unmapped(doc, path, `file://${ref}`, `cannot read ${source}`)
    return ref
  }
  const target =
    source.startsWith('..') || source.startsWith('/') ? `imported/${baseOf(source)}` : source
  return `${ctx.addFile(target, text)}${suffix}`
}
