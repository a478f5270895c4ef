/**
 * Tells when a file may have changed: `fs.watch` on its directory (so that an editor's or
 * `writeFileAtomic`'s rename over the file, or a ConfigMap's symlink swap, is seen too), or
 * stat polling where file events are unavailable (network and some container file systems) or
 * unwanted. Bursts of events are debounced into one call. Nothing here keeps the process alive.
 */
import { type FSWatcher, type Stats, unwatchFile, watch, watchFile } from 'node:fs'
import { basename, dirname } from 'node:path'
import type { Logger } from '../contracts/logger.js'

/** How to notice changes: file events with polling as the fallback, or polling only. */
export type WatchMode = 'auto' | 'poll'

/** Options of {@link watchPath}. */
export interface WatchOptions {
  readonly mode: WatchMode
  /** Quiet time after the last event before `onChange` is called. */
  readonly debounceMs: number
  /** How often polling stats the file. */
  readonly pollIntervalMs: number
  /**
   * Called once per burst of changes, and once `debounceMs` after the start; the file may be
   * unchanged or gone.
   */
  readonly onChange: () => void
  readonly logger: Logger
}

/** A running watch; `close()` stops it and cancels a pending call. */
export interface FileWatch {
  close(): void
}

/** Starts watching `path`. */
export function watchPath(path: string, options: WatchOptions): FileWatch {
  let timer: NodeJS.Timeout | undefined
  let closed = false
  const changed = (): void => {
    if (closed) return
    clearTimeout(timer)
    timer = setTimeout(() => {
      timer = undefined
      options.onChange()
    }, options.debounceMs)
    timer.unref()
  }
  const poll = (): (() => void) => pollFile(path, options.pollIntervalMs, changed)
  const fallBack = (error: unknown): (() => void) => {
    const reason = error instanceof Error ? error.message : String(error)
    options.logger.warn(`watching ${path} for changes failed (${reason}); polling instead`)
    return poll()
  }
  let stop: () => void
  try {
    stop = options.mode === 'poll' ? poll() : listen(path, changed, onError)
  } catch (error) {
    stop = fallBack(error)
  }
  // Once more after the start: a change made between the caller's last read and the watch being
  // set up (or polling's first stat) is not lost.
  changed()
  function onError(error: Error): void {
    if (closed) return
    stop()
    stop = fallBack(error)
  }
  return {
    close() {
      closed = true
      clearTimeout(timer)
      stop()
    },
  }
}

/**
 * File events on the directory for the file's name, and for names starting with `..`: a
 * Kubernetes ConfigMap volume updates `flags.json -> ..data/flags.json` by swapping the `..data`
 * symlink, so no event names the file itself. Throws when file events are unavailable.
 */
function listen(path: string, changed: () => void, onError: (error: Error) => void): () => void {
  const name = basename(path)
  const watcher: FSWatcher = watch(dirname(path), { persistent: false }, (_event, filename) => {
    if (filename === null || filename === name || filename.startsWith('..')) changed()
  })
  watcher.on('error', onError)
  return () => watcher.close()
}

function pollFile(path: string, intervalMs: number, changed: () => void): () => void {
  const listener = (now: Stats, before: Stats): void => {
    if (now.mtimeMs !== before.mtimeMs || now.ino !== before.ino || now.size !== before.size) {
      changed()
    }
  }
  watchFile(path, { persistent: false, interval: intervalMs }, listener)
  return () => unwatchFile(path, listener)
}
