import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { usageError } from '../../errors.js'
import { makeDirectory } from '../../utils/files.js'
import { CI_TEMPLATES, type CiSystem } from './ci.js'
import { GITIGNORE_LINE, INIT_FILES } from './template.js'

/** What `init` wrote. */
export interface InitResult {
  readonly dir: string
  /** Paths written, relative to `dir`. */
  readonly files: readonly string[]
}

/**
 * Writes the example project into `dir` (created if needed) and ignores `.shipgate/` in git.
 * Refuses to overwrite an existing file unless `force`.
 */
export async function initProject(
  dir: string,
  options: { force: boolean; ci?: CiSystem },
): Promise<InitResult> {
  const root = resolve(dir)
  if (options.ci !== undefined) return initCi(root, options.ci, options.force)
  const existing = Object.keys(INIT_FILES).filter((f) => existsSync(join(root, f)))
  if (existing.length > 0 && !options.force) {
    throw usageError(
      `${existing.join(', ')} already exist in ${root}`,
      'pass --force to overwrite them, or choose another directory',
    )
  }
  for (const [file, text] of Object.entries(INIT_FILES)) {
    makeDirectory(dirname(join(root, file)))
    await writeFile(join(root, file), text)
  }
  const ignored = await ignoreStore(root)
  return { dir: root, files: [...Object.keys(INIT_FILES), ...(ignored ? ['.gitignore'] : [])] }
}

/**
 * `init --ci github|gitlab`: writes the CI and CD pipelines, and the example project too when
 * `root` has no shipgate.yaml yet.
 */
async function initCi(root: string, ci: CiSystem, force: boolean): Promise<InitResult> {
  const files = Object.keys(CI_TEMPLATES[ci])
  const existing = files.filter((f) => existsSync(join(root, f)))
  if (existing.length > 0 && !force) {
    throw usageError(`${existing.join(', ')} already exist in ${root}`, 'pass --force to overwrite')
  }
  const project = existsSync(join(root, 'shipgate.yaml'))
    ? { files: [] }
    : await initProject(root, { force })
  for (const [file, text] of Object.entries(CI_TEMPLATES[ci])) {
    makeDirectory(dirname(join(root, file)))
    await writeFile(join(root, file), text)
  }
  return { dir: root, files: [...project.files, ...files] }
}

async function ignoreStore(root: string): Promise<boolean> {
  const path = join(root, '.gitignore')
  const current = existsSync(path) ? await readFile(path, 'utf8') : ''
  if (current.split(/\r?\n/).some((l) => l.trim() === GITIGNORE_LINE)) return false
  const prefix = current === '' || current.endsWith('\n') ? current : `${current}\n`
  await writeFile(path, `${prefix}${GITIGNORE_LINE}\n`)
  return true
}
