/**
 * Watching files through their directories: an editor that saves by writing a new file and
 * renaming it over the old one replaces the file, so a watch on the file itself would go deaf
 * after the first save. A directory's watch sees every save, however it is written.
 */
import { watch, type FSWatcher } from 'node:fs'
import { dirname, resolve } from 'node:path'
import type { Logger } from '../../contracts/logger.js'

/** Watches over a set of directories; `update` changes the set, `close` ends every watch. */
export interface DirectoryWatch {
  /** Watches these directories (and stops watching the others): `recursive` ones with subfolders. */
  update(dirs: readonly WatchedDir[]): void
  close(): void
}

/** A directory to watch, and whether its subfolders too (the base of a `depends_on` glob). */
export interface WatchedDir {
  readonly path: string
  readonly recursive: boolean
}

/**
 * Watches directories and reports each changed path (absolute) to `onChange`. A directory that
 * does not exist (yet) is skipped with a debug line; it is watched once a later `update` finds it.
 */
export function watchDirectories(onChange: (path: string) => void, logger: Logger): DirectoryWatch {
  const watchers = new Map<string, FSWatcher>()
  const open = ({ path, recursive }: WatchedDir) => {
    try {
      const watcher = watch(path, { recursive, persistent: true }, (_event, name) => {
        if (name !== null) onChange(resolve(path, name.toString()))
      })
      watcher.on('error', (error) => logger.debug(`watch of ${path} ended: ${error.message}`))
      watchers.set(key({ path, recursive }), watcher)
    } catch (error) {
      logger.debug(`cannot watch ${path}: ${(error as Error).message}`)
    }
  }
  return {
    update(dirs) {
      const wanted = new Set(dirs.map(key))
      for (const [k, watcher] of watchers) {
        if (wanted.has(k)) continue
        watcher.close()
        watchers.delete(k)
      }
      for (const dir of dirs) if (!watchers.has(key(dir))) open(dir)
    },
    close() {
      for (const watcher of watchers.values()) watcher.close()
      watchers.clear()
    },
  }
}

function key(dir: WatchedDir): string {
  return `${dir.recursive ? 'r' : 'f'}:${dir.path}`
}

/** The directories that hold `files`, each once, none recursive. */
export function directoriesOf(files: Iterable<string>): WatchedDir[] {
  const dirs = new Set<string>()
  for (const file of files) dirs.add(dirname(file))
  return [...dirs].map((path) => ({ path, recursive: false }))
}
