import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { usageError } from '../../errors.js'
import { makeDirectory } from '../../utils/files.js'
import { canaryTargets } from './canary.js'
import { ciTemplates, type CiSystem } from './ci.js'
import { configuredTargets, defaultBranch, EXAMPLE_TARGETS, readConfigDocument } from './setup.js'
import { GITIGNORE_LINE, INIT_FILES } from './template.js'

/** What `init` wrote. */
export interface InitResult {
  readonly dir: string
  /** Paths written, relative to `dir`. */
  readonly files: readonly string[]
  /** With `ci`: the targets CD jobs were written for (none: CI only). */
  readonly targets?: readonly string[]
  /** With `ci`: the default branch the pipeline runs deploys and baselines from. */
  readonly branch?: string
  /**
   * With `ci: 'github'`: the targets whose rollout is a canary, which the manual canary workflow
   * deploys (none: no such workflow).
   */
  readonly canary?: readonly string[]
}

/** Options of {@link initProject}. */
export interface InitOptions {
  readonly force: boolean
  /** Write this CI system's pipeline instead (and the example project if there is none). */
  readonly ci?: CiSystem
  /**
   * With `ci`: write the CD jobs even when shipgate.yaml has no targets (for the example
   * targets staging and production). Targets in shipgate.yaml always get CD jobs.
   */
  readonly cd?: boolean
}

/**
 * Writes the example project into `dir` (created if needed) and ignores `.shipgate/` in git.
 * Refuses to overwrite an existing file unless `force`.
 */
export async function initProject(dir: string, options: InitOptions): Promise<InitResult> {
  const root = resolve(dir)
  if (options.ci !== undefined) return initCi(root, options.ci, options)
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
 * `init --ci github|gitlab`: writes the CI pipeline, the CD one for the configured targets (or
 * with `cd`), on GitHub the manual canary workflow for targets whose rollout is a canary, and the
 * example project too when `root` has no shipgate.yaml yet.
 */
async function initCi(root: string, ci: CiSystem, options: InitOptions): Promise<InitResult> {
  const force = options.force
  const doc = await readConfigDocument(root)
  const configured = configuredTargets(doc)
  const targets =
    configured.length > 0 ? configured : options.cd === true ? [...EXAMPLE_TARGETS] : []
  const canary = ci === 'github' ? canaryTargets(doc, configured) : []
  const branch = await defaultBranch(root)
  const templates = ciTemplates(ci, { branch, targets, canary })
  const files = Object.keys(templates)
  const existing = files.filter((f) => existsSync(join(root, f)))
  if (existing.length > 0 && !force) {
    throw usageError(`${existing.join(', ')} already exist in ${root}`, 'pass --force to overwrite')
  }
  const project = existsSync(join(root, 'shipgate.yaml'))
    ? { files: [] }
    : await initProject(root, { force })
  for (const [file, text] of Object.entries(templates)) {
    makeDirectory(dirname(join(root, file)))
    await writeFile(join(root, file), text)
  }
  return {
    dir: root,
    files: [...project.files, ...files],
    targets,
    branch,
    canary: canary.map((t) => t.name),
  }
}

async function ignoreStore(root: string): Promise<boolean> {
  const path = join(root, '.gitignore')
  const current = existsSync(path) ? await readFile(path, 'utf8') : ''
  if (current.split(/\r?\n/).some((l) => l.trim() === GITIGNORE_LINE)) return false
  const prefix = current === '' || current.endsWith('\n') ? current : `${current}\n`
  await writeFile(path, `${prefix}${GITIGNORE_LINE}\n`)
  return true
}
