/**
 * `shipgate import promptfoo`: reads a promptfoo config and what it references, maps it (pure,
 * src/core/import), loads the result back with shipgate's own loader, and writes it unless
 * `check`. Existing files are never overwritten without `force`.
 */
import { existsSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'
import { assertionTypeNames } from '../../assertions/index.js'
import type { ImportReport } from '../../contracts/import.js'
import { mapPromptfoo } from '../../core/import/index.js'
import { usageError } from '../../errors.js'
import { projectFiles, readDocument } from './files.js'
import { compareFiles, loadBack, renderFiles, writeFiles } from './write.js'

/** Options of {@link importPromptfoo}. */
export interface ImportOptions {
  readonly cwd: string
  readonly env: Readonly<Record<string, string | undefined>>
  /** The promptfoo config; default promptfooconfig.yaml (or .yml, .json) in `cwd`. */
  readonly file?: string
  /** Where to write shipgate.yaml and its files; default `cwd`. */
  readonly out?: string
  /** Report only: write nothing. */
  readonly check?: boolean
  /** Overwrite files that exist with other contents. */
  readonly force?: boolean
}

/** What an import did (or, with `check`, would do). */
export type ImportResult = ImportReport

const DEFAULT_NAMES = ['promptfooconfig.yaml', 'promptfooconfig.yml', 'promptfooconfig.json']

/** Imports a promptfoo config; see {@link ImportOptions}. */
export async function importPromptfoo(options: ImportOptions): Promise<ImportResult> {
  const file = findSource(options)
  const root = dirname(file)
  const shown = relative(options.cwd, file) || file
  const doc = readDocument(root, relative(root, file))
  if ('problem' in doc)
    throw usageError(
      `cannot import ${shown}: ${doc.problem}`,
      'fix the promptfoo config first (promptfoo validate)',
    )
  const plan = mapPromptfoo(doc, projectFiles(root), {
    assertionTypes: new Set(assertionTypeNames),
  })
  const files = renderFiles(plan, relative(root, file))
  const out = resolve(options.cwd, options.out ?? '.')
  const status = compareFiles(out, files)
  const back = await loadBack(files, plan.envNames, options.env)
  const differing = Object.keys(status).filter((p) => status[p] === 'differs')
  const check = options.check === true
  if (!check && back.issues.length === 0 && differing.length > 0 && options.force !== true) {
    throw usageError(
      `${differing.join(', ')} already exist in ${out} with other contents`,
      'pass --force to overwrite them, or --out DIR to write elsewhere',
    )
  }
  const write = !check && back.issues.length === 0
  if (write) await writeFiles(out, files)
  return {
    source: shown,
    out,
    checked: check,
    files: Object.entries(status).map(([path, s]) => ({ path, status: s })),
    written: write,
    cases: back.cases,
    findings: plan.findings,
    loadIssues: back.issues,
  }
}

function findSource(options: ImportOptions): string {
  if (options.file !== undefined) {
    const path = resolve(options.cwd, options.file)
    if (!existsSync(path))
      throw usageError(`${options.file} does not exist`, 'pass the path of a promptfooconfig.yaml')
    return path
  }
  const found = DEFAULT_NAMES.map((n) => resolve(options.cwd, n)).find((p) => existsSync(p))
  if (found === undefined)
    throw usageError(
      `no promptfooconfig.yaml in ${options.cwd}`,
      'pass the promptfoo config file: shipgate import promptfoo FILE',
    )
  return found
}
