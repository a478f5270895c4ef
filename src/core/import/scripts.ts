import { safeName, type ImportContext } from './context.js'
import type { Entry } from './providers.js'
import { baseOf, copyRef, resolveRef } from './refs.js'
import { execShim, jsShim, pythonShim } from './shims.js'
import type { DocPath, PromptfooDocument } from './types.js'

/** A promptfoo Python or JavaScript provider file, run by a generated exec shim. */
export function scriptProvider(
  ctx: ImportContext,
  doc: PromptfooDocument,
  path: DocPath,
  script: string,
  config: Record<string, unknown>,
  language: 'python' | 'js',
): Entry {
  const [file = script, fn] = script.split(/:(?=\w+$)/)
  const copied = copyRef(ctx, doc, file, path)
  const base = safeName(baseOf(resolveRef(doc, file)).replace(/\.\w+$/, ''), 'provider')
  if (language === 'python') {
    const shim = ctx.addFile(
      `${base}.provider-shim.py`,
      pythonShim(copied, fn ?? 'call_api', config),
    )
    ctx.changed(
      doc,
      path,
      `provider file://${script}`,
      'runs through a generated Python shim (python3 on PATH) that calls the same function with the prompt, { config } and { vars }',
    )
    return { type: 'exec', command: ['python3', shim] }
  }
  const shim = ctx.addFile(`${base}.provider-shim.mjs`, jsShim(copied, fn, config))
  ctx.changed(
    doc,
    path,
    `provider file://${script}`,
    'runs through a generated Node shim that constructs the provider and calls callApi(prompt, { vars })',
  )
  return { type: 'exec', command: ['node', shim] }
}

/**
 * `exec: CMD`: a shim runs CMD with the prompt, options and context as arguments, as promptfoo
 * does; the script files the command names are copied beside it.
 */
export function exec(
  ctx: ImportContext,
  doc: PromptfooDocument,
  path: DocPath,
  command: string,
  config: Record<string, unknown>,
): Entry {
  const scripts = command
    .split(/\s+/)
    .filter(
      (word) => /^[\w./-]+\.\w+$/.test(word) && ctx.io.text(resolveRef(doc, word)) !== undefined,
    )
  for (const word of scripts) copyRef(ctx, doc, word, path)
  const stem = scripts[0] === undefined ? 'exec' : baseOf(scripts[0]).replace(/\.\w+$/, '')
  const shim = ctx.addFile(`${safeName(stem, 'exec')}.exec-shim.mjs`, execShim(command, config))
  ctx.changed(
    doc,
    path,
    `provider exec: ${command}`,
    'runs through a generated shim that passes the prompt, options and context as arguments, as promptfoo does; the command runs in the output directory',
  )
  return { type: 'exec', command: ['node', shim] }
}
