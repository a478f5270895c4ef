import { realpath } from 'node:fs/promises'
import { join } from 'node:path'
import type { SkippedFile } from '../../contracts/scan.js'
import { usageError } from '../../errors.js'
import type { DetectedSecret, SecretEngine } from '../../scan/engine.js'
import { repoRoot, stagedContent, stagedFiles, trackedFiles } from '../../integrations/git/index.js'
import { displayName, fileContent, restrict, resolvePaths, walk } from './files.js'
import type { ProjectPlaces } from './project.js'

/** A file to scan. */
export interface Target {
  /** Its name in findings: relative to the root with `/` separators. */
  readonly file: string
  readonly path: string
}

/** The files of one scan and where they are. */
export interface Targets {
  /** The repository root, or the working directory outside git (real paths). */
  readonly root: string
  readonly cwd: string
  readonly projectDir: string
  /** Whether the content comes from the git index rather than the working tree. */
  readonly staged: boolean
  readonly list: readonly Target[]
  /** How a path is named in the report. */
  readonly name: (path: string) => string
}

/** Files over this size are skipped unless the caller says otherwise. */
export const DEFAULT_MAX_FILE_BYTES = 2 * 2 ** 20
/** A NUL byte in this many first bytes makes a file binary, as git decides. */
const BINARY_PROBE = 8000
const CONCURRENCY = 8

/**
 * The files to scan: git's tracked files (or the staged ones), else a walk of the directory;
 * plus the project's places unless staged; restricted to `paths`.
 */
export async function readTargets(
  options: { cwd: string; paths?: readonly string[]; staged?: boolean },
  places: (root: string) => Promise<ProjectPlaces>,
): Promise<Targets> {
  const cwd = await realpath(options.cwd)
  const found = await repoRoot(cwd)
  const staged = options.staged === true
  if (staged && found === null) {
    throw usageError('--staged needs a git repository', 'run it inside a git work tree')
  }
  const root = found ?? cwd
  const project = await places(root)
  const paths = resolvePaths(options.paths ?? [], cwd)
  let candidates: string[]
  if (staged) candidates = (await stagedFiles(root)).map((f) => join(root, f))
  else {
    const base =
      found === null ? await walk(root) : (await trackedFiles(root)).map((f) => join(root, f))
    const own = await Promise.all(project.paths.map((p) => walk(p)))
    candidates = [...base, ...own.flat()]
  }
  const name = (path: string): string => displayName(path, root)
  const list = [...new Set(restrict(candidates, paths, staged))]
    .map((path) => ({ file: name(path), path }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
  return { root, cwd, projectDir: project.dir, staged, list, name }
}

/** One secret and the file it is in. */
export interface Detected {
  readonly target: Target
  readonly secret: DetectedSecret
}

/** Reads every target (a few at a time) and scans the text ones; findings in file order. */
export async function scanTargets(
  targets: Targets,
  engine: SecretEngine,
  options: { maxFileBytes?: number },
): Promise<{ scanned: Target[]; skipped: SkippedFile[]; detected: Detected[] }> {
  const limit = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES
  const outcomes = new Array<Outcome>(targets.list.length)
  let next = 0
  const worker = async (): Promise<void> => {
    for (let i = next++; i < targets.list.length; i = next++) {
      const target = targets.list[i] as Target
      outcomes[i] = await scanOne(target, await contentOf(target, targets, limit), engine)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  const scanned: Target[] = []
  const skipped: SkippedFile[] = []
  const detected: Detected[] = []
  for (const [i, outcome] of outcomes.entries()) {
    const target = targets.list[i] as Target
    if (outcome === null) continue
    if ('reason' in outcome) skipped.push({ file: target.file, reason: outcome.reason })
    else {
      scanned.push(target)
      detected.push(...outcome.secrets.map((secret) => ({ target, secret })))
    }
  }
  return { scanned, skipped, detected }
}

type Outcome = { reason: SkippedFile['reason'] } | { secrets: DetectedSecret[] } | null
type Content = Buffer | SkippedFile['reason'] | null

async function contentOf(target: Target, targets: Targets, limit: number): Promise<Content> {
  try {
    if (!targets.staged) return await fileContent(target.path, limit)
    return (await stagedContent(targets.root, target.file, limit)) ?? 'too-large'
  } catch {
    // Permissions, or a file that vanished between the listing and the read.
    return 'unreadable'
  }
}

async function scanOne(target: Target, content: Content, engine: SecretEngine): Promise<Outcome> {
  if (content === null) return null
  if (typeof content === 'string') return { reason: content }
  if (content.subarray(0, BINARY_PROBE).includes(0)) return { reason: 'binary' }
  try {
    return { secrets: await engine.scan(target.file, content.toString('utf8')) }
  } catch (cause) {
    // A rule that throws is a bug in it (or here); say which file made it throw.
    throw new Error(`secretlint failed on ${target.file}`, { cause })
  }
}
