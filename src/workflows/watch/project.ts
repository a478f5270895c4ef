/**
 * The project as `eval --watch` sees it: the config, what each suite depends on (the same map
 * `shipgate select` uses), and which suites a set of saved files affects.
 */
import { readFile } from 'node:fs/promises'
import { relative, resolve, sep } from 'node:path'
import picomatch from 'picomatch'
import { parse as parseYaml } from 'yaml'
import type { LoadedConfig } from '../../config/load.js'
import type { SelectedSuite } from '../../contracts/select.js'
import { selectSuites, type SuiteDependencies } from '../../core/select/select.js'
import { repoRoot } from '../../integrations/git/index.js'
import { loadProjectConfig, type ConfigChoice } from '../project/index.js'
import { changedEntries, suiteDependencies } from '../select/index.js'
import { directoriesOf, type WatchedDir } from './files.js'

/** A loaded project and its suites' dependencies, paths relative to `root`. */
export interface WatchedProject {
  readonly loaded: LoadedConfig
  /** The git repository's root, else the config's directory. */
  readonly root: string
  /** The config as parsed YAML, to tell which of its entries a save changed. */
  readonly yaml: Record<string, unknown> | null
  readonly suites: readonly SuiteDependencies[]
  /** A change to the config that every suite depends on (`runner`, `judge`...), if the last save made one. */
  readonly globalChange: { readonly file: string; readonly what: string } | null
}

/**
 * Loads the project; with `previous`, the config was saved: its changed entries (as `select`
 * reads them against a git base) select suites. A broken config throws its ConfigError.
 */
export async function openProject(
  choice: ConfigChoice,
  previous?: WatchedProject,
): Promise<WatchedProject> {
  const loaded = await loadProjectConfig(choice, { shallow: true })
  const root = previous?.root ?? (await repoRoot(loaded.dir)) ?? loaded.dir
  const yaml = loaded.file === null ? null : await yamlOf(loaded.file)
  const entries =
    previous === undefined
      ? { global: null, byName: new Set<string>() }
      : changedEntries(previous.yaml, yaml)
  const suites = await suiteDependencies(loaded, root, entries.byName)
  const file = loaded.file === null ? '' : toRoot(root, loaded.file)
  const globalChange = entries.global === null ? null : { file, what: entries.global }
  return { loaded, root, yaml, suites, globalChange }
}

async function yamlOf(file: string): Promise<Record<string, unknown> | null> {
  try {
    return (parseYaml(await readFile(file, 'utf8')) ?? {}) as Record<string, unknown>
  } catch {
    return null
  }
}

/** The directories to watch: those of the config and of every dependency, and glob bases. */
export function watchedDirs(project: WatchedProject): WatchedDir[] {
  const { root, loaded } = project
  const files = project.suites.flatMap((s) => s.files.map((f) => resolve(root, f.path)))
  if (loaded.file !== null) files.push(loaded.file)
  const globs = project.suites.flatMap((s) => s.globs)
  const bases = [...new Set(globs.map((g) => resolve(root, picomatch.scan(g).base)))]
  return [...directoriesOf(files), ...bases.map((path) => ({ path, recursive: true }))]
}

/** Files the project depends on (the config among them), for the watch's first line. */
export function dependencyCount(project: WatchedProject): number {
  const files = new Set(project.suites.flatMap((s) => s.files.map((f) => f.path)))
  return files.size + (project.loaded.file === null ? 0 : 1)
}

/**
 * Whether a saved `path` (absolute) can affect a suite: the config, a file a suite depends on,
 * or one its `depends_on` globs match. Others (the store, reports, notes) are not looked at.
 */
export function isWatched(project: WatchedProject, path: string): boolean {
  if (isConfig(project, path)) return true
  const file = toRoot(project.root, path)
  return project.suites.some(
    (s) =>
      s.files.some((f) => f.path === file) ||
      (s.globs.length > 0 && picomatch(s.globs as string[], { dot: true })(file)),
  )
}

/** Whether `path` (absolute) is the project's config file. */
export function isConfig(project: WatchedProject, path: string): boolean {
  return project.loaded.file !== null && resolve(project.loaded.file) === resolve(path)
}

/** The suites that saved `files` (absolute) affect, within `within` when it names some. */
export function affectedSuites(
  project: WatchedProject,
  files: readonly string[],
  within: readonly string[],
): SelectedSuite[] {
  const selected = selectSuites({
    changed: files.map((f) => toRoot(project.root, f)),
    suites: project.suites,
    // `select.always` is for CI; in the loop only what a save affects runs.
    always: [],
    globalChange: project.globalChange,
  })
  return selected.filter((s) => within.length === 0 || within.includes(s.suite))
}

/** The project once a config save's suites are chosen: its changed entries select no more. */
export function settled(project: WatchedProject): WatchedProject {
  if (project.globalChange === null && project.suites.every((s) => s.changedEntries.length === 0))
    return project
  const suites = project.suites.map((s) => ({ ...s, changedEntries: [] }))
  return { ...project, suites, globalChange: null }
}

function toRoot(root: string, path: string): string {
  return relative(root, path).split(sep).join('/')
}
