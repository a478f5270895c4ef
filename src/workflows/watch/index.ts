/**
 * `shipgate eval --watch` as a library call: run the selected suites, then watch their prompts,
 * case files, assertion files and the config, and after each save (debounced) run again the
 * suites it affects, as `shipgate select` maps files to suites. A broken config is reported and
 * the watch goes on; stopping aborts a run in flight.
 */
import type { Clock } from '../../contracts/clock.js'
import type { SelectedSuite } from '../../contracts/select.js'
import type { Reporter } from '../../contracts/reporter.js'
import { systemClock } from '../../utils/clock.js'
import { evaluate, type EvalOptions, type EvalResult, type SkippedEval } from '../eval/index.js'
import { watchDirectories } from './files.js'
import { SaveQueue } from './queue.js'
import {
  affectedSuites,
  dependencyCount,
  isConfig,
  isWatched,
  openProject,
  settled,
  watchedDirs,
  type WatchedProject,
} from './project.js'

/**
 * Options of {@link watchEval}: those of an eval, applied to every run (`suites` bounds what a
 * save may run; `since` is not used: the saves decide), and the watch's own.
 */
export interface WatchOptions extends EvalOptions {
  /** Quiet time after the last save before a run starts (default 150 ms). */
  readonly debounceMs?: number
  /** Run the selected suites once before watching (default true). */
  readonly initialRun?: boolean
  /** Told what the watch sees and does, in order. */
  readonly onEvent?: (event: WatchEvent) => void
}

/** What the watch reports. Times are the clock's milliseconds. */
export type WatchEvent =
  | { readonly kind: 'watching'; readonly files: number; readonly directories: number }
  | {
      readonly kind: 'change'
      readonly at: number
      /** The saved files (absolute paths). */
      readonly files: readonly string[]
      /** The suites they affect, with why; empty when none (nothing runs). */
      readonly suites: readonly SelectedSuite[]
    }
  | { readonly kind: 'config-error'; readonly error: unknown }
  | {
      readonly kind: 'run-start'
      readonly at: number
      readonly runId: string
      /** The suites of the run as it names them (`suite[variant]` for variants). */
      readonly suites: readonly string[]
    }
  | { readonly kind: 'run-end'; readonly at: number; readonly result: EvalResult | SkippedEval }
  | { readonly kind: 'run-error'; readonly error: unknown }

/** A running watch. */
export interface WatchHandle {
  /** Stops watching, aborts a run in flight and resolves once it has ended. */
  close(): Promise<void>
}

/**
 * Starts watching: resolves once the project is loaded and its files watched (a broken config
 * at start throws its ConfigError). The first run, when asked, starts then.
 */
export async function watchEval(options: WatchOptions): Promise<WatchHandle> {
  const clock = options.clock ?? systemClock
  const emit = (event: WatchEvent) => options.onEvent?.(event)
  const stop = new AbortController()
  const within = options.suites ?? []
  let project = await openProject(options)
  const run = (suites: readonly string[]) => runSuites(suites, options, { stop, emit, clock })
  const queue = new SaveQueue(clock, options.debounceMs ?? 150, async (files) => {
    if (files.some((f) => isConfig(project, f))) {
      const reloaded = await reload(options, project, emit)
      if (reloaded === undefined) return
      project = reloaded
      dirs.update(watchedDirs(project))
    }
    const suites = affectedSuites(project, files, within)
    project = settled(project)
    emit({ kind: 'change', at: clock.now(), files, suites })
    if (suites.length > 0) await run(suites.map((s) => s.suite))
  })
  const dirs = watchDirectories((path) => {
    if (isWatched(project, path)) queue.add(path)
  }, options.logger)
  dirs.update(watchedDirs(project))
  const directories = watchedDirs(project).length
  emit({ kind: 'watching', files: dependencyCount(project), directories })
  if (options.initialRun !== false) queue.start(() => run(within))

  const close = async () => {
    stop.abort()
    dirs.close()
    await queue.close()
  }
  options.signal?.addEventListener('abort', () => void close(), { once: true })
  return { close }
}

/** The project loaded again after a save of its config; `undefined` (and told) when broken. */
async function reload(
  options: WatchOptions,
  previous: WatchedProject,
  emit: (event: WatchEvent) => void,
): Promise<WatchedProject | undefined> {
  try {
    return await openProject(options, previous)
  } catch (error) {
    emit({ kind: 'config-error', error })
    return undefined
  }
}

/** One run of `suites` (all when empty), told as `run-start` and `run-end` (or `run-error`). */
async function runSuites(
  suites: readonly string[],
  options: WatchOptions,
  { stop, emit, clock }: { stop: AbortController; emit: (e: WatchEvent) => void; clock: Clock },
): Promise<void> {
  const announce: Reporter = {
    name: 'watch',
    onRunStart: (e) =>
      emit({
        kind: 'run-start',
        at: clock.now(),
        runId: e.runId,
        suites: e.suites.map((s) => s.name),
      }),
  }
  try {
    const result = await evaluate({
      ...options,
      suites,
      since: undefined,
      signal: stop.signal,
      reporters: [announce, ...(options.reporters ?? [])],
    })
    emit({ kind: 'run-end', at: clock.now(), result })
  } catch (error) {
    emit({ kind: 'run-error', error })
  }
}
