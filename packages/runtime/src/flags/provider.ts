/**
 * `FileFlagProvider`: an OpenFeature server provider over a flagd-format JSON flag file,
 * evaluated in process by `@openfeature/flagd-core` (json-logic targeting with `fractional`,
 * `sem_ver`, `starts_with`, `ends_with`). The file is watched: a valid new version replaces the
 * flags in one assignment and emits ConfigurationChanged with the changed keys; an invalid one
 * is reported (an Error event and a log line naming file, line, flag and path) and the flags
 * in use stay as they were.
 */
import { readFile } from 'node:fs/promises'
import {
  type EvaluationContext,
  type JsonValue,
  type Logger as EvaluationLogger,
  OpenFeatureEventEmitter,
  type Provider,
  ProviderEvents,
  type ResolutionDetails,
} from '@openfeature/server-sdk'
import type { Logger } from '../contracts/logger.js'
import { ConfigError } from '../errors.js'
import { silentLogger } from '../logger.js'
import { changedFlags, type CompiledFlags, compileFlags } from './compile.js'
import { createFlagEvaluator, type FlagEvaluator } from './evaluator.js'
import { type FileWatch, watchPath } from './watch.js'

/** Options of {@link FileFlagProvider}. */
export interface FileFlagProviderOptions {
  /** The flagd-format JSON flag file. */
  readonly path: string
  /**
   * How to notice edits: `'auto'` (default) uses file events and falls back to polling where
   * they are unavailable; `'poll'` only polls; `false` never reloads by itself (call `reload()`).
   */
  readonly watch?: 'auto' | 'poll' | false
  /** Quiet time after the last change event before the file is read again; default 100 ms. */
  readonly debounceMs?: number
  /** Polling interval; default 1,000 ms. */
  readonly pollIntervalMs?: number
  /** Reload failures and watch fallbacks are logged here; silent by default. */
  readonly logger?: Logger
}

/** What one reload did. An invalid file is a value here: the old flags stay in use. */
export type ReloadResult =
  | { readonly status: 'changed'; readonly flagsChanged: readonly string[] }
  | { readonly status: 'unchanged' }
  | { readonly status: 'invalid'; readonly error: ConfigError }

const EMPTY: CompiledFlags = compileFlags('{"flags":{}}', '(none)')

/** An OpenFeature server provider reading flags from a flagd flag file; see the module doc. */
export class FileFlagProvider implements Provider {
  /** `shipgate-file`: how OpenFeature hooks and logs name this provider. */
  readonly metadata = { name: 'shipgate-file' } as const
  readonly runsOn = 'server' as const
  /** Ready, Error (invalid reload) and ConfigurationChanged (with `flagsChanged`) events. */
  readonly events = new OpenFeatureEventEmitter()
  /**
   * Synchronous evaluation of the same flags, for hot paths: the client's answers in well under
   * a microsecond, without OpenFeature hooks. Default values (PROVIDER_NOT_READY) until
   * `initialize` has loaded the file.
   */
  readonly evaluator: FlagEvaluator = createFlagEvaluator(() =>
    this.ready ? this.flags : undefined,
  )
  private readonly options: FileFlagProviderOptions
  private readonly logger: Logger
  private flags = EMPTY
  private ready = false
  private lastText: string | undefined
  private failing = false
  private watch: FileWatch | undefined
  private queue: Promise<ReloadResult> = Promise.resolve({ status: 'unchanged' })

  constructor(options: FileFlagProviderOptions) {
    this.options = options
    this.logger = (options.logger ?? silentLogger).child('flags')
  }

  /**
   * Called by OpenFeature when the provider is set: reads and validates the file, then starts
   * watching it. Rejects with a ConfigError when the file is missing or invalid.
   */
  async initialize(): Promise<void> {
    const text = await readFlagText(this.options.path)
    this.flags = compileFlags(text, this.options.path)
    this.lastText = text
    this.ready = true
    this.watch?.close()
    const mode = this.options.watch ?? 'auto'
    if (mode === false) return
    this.watch = watchPath(this.options.path, {
      mode,
      debounceMs: this.options.debounceMs ?? 100,
      pollIntervalMs: this.options.pollIntervalMs ?? 1_000,
      onChange: () => {
        this.reload().catch((error: unknown) =>
          this.logger.error(`reloading failed: ${String(error)}`),
        )
      },
      logger: this.logger,
    })
  }

  /** Reads the file again now (the watcher calls this); reloads run one at a time, in order. */
  reload(): Promise<ReloadResult> {
    const load = (): Promise<ReloadResult> => this.load()
    this.queue = this.queue.then(load, load)
    return this.queue
  }

  /** Called by OpenFeature on shutdown or when the provider is replaced: stops watching. */
  async onClose(): Promise<void> {
    this.watch?.close()
    this.watch = undefined
    // A failed reload was already reported to whoever asked for it (or logged by the watcher).
    await this.queue.then(
      () => undefined,
      () => undefined,
    )
  }

  /**
   * Called by the OpenFeature client to evaluate a boolean flag against the flags loaded last;
   * synchronous work (flagd-core), so it never waits for a reload.
   */
  resolveBooleanEvaluation(
    flagKey: string,
    defaultValue: boolean,
    context: EvaluationContext,
    logger: EvaluationLogger,
  ): Promise<ResolutionDetails<boolean>> {
    return Promise.resolve(
      this.flags.core.resolveBooleanEvaluation(flagKey, defaultValue, context, logger),
    )
  }

  /**
   * Called by the OpenFeature client to evaluate a string flag against the flags loaded last;
   * synchronous work (flagd-core), so it never waits for a reload.
   */
  resolveStringEvaluation(
    flagKey: string,
    defaultValue: string,
    context: EvaluationContext,
    logger: EvaluationLogger,
  ): Promise<ResolutionDetails<string>> {
    return Promise.resolve(
      this.flags.core.resolveStringEvaluation(flagKey, defaultValue, context, logger),
    )
  }

  /**
   * Called by the OpenFeature client to evaluate a number flag against the flags loaded last;
   * synchronous work (flagd-core), so it never waits for a reload.
   */
  resolveNumberEvaluation(
    flagKey: string,
    defaultValue: number,
    context: EvaluationContext,
    logger: EvaluationLogger,
  ): Promise<ResolutionDetails<number>> {
    return Promise.resolve(
      this.flags.core.resolveNumberEvaluation(flagKey, defaultValue, context, logger),
    )
  }

  /**
   * Called by the OpenFeature client to evaluate an object flag against the flags loaded last;
   * synchronous work (flagd-core), so it never waits for a reload.
   */
  resolveObjectEvaluation<T extends JsonValue>(
    flagKey: string,
    defaultValue: T,
    context: EvaluationContext,
    logger: EvaluationLogger,
  ): Promise<ResolutionDetails<T>> {
    return Promise.resolve(
      this.flags.core.resolveObjectEvaluation(flagKey, defaultValue, context, logger),
    )
  }

  private async load(): Promise<ReloadResult> {
    const text = await readFlagText(this.options.path).catch((error: ConfigError) => error)
    if (text instanceof ConfigError) {
      this.lastText = undefined
      return this.fail(text)
    }
    if (text === this.lastText) return { status: 'unchanged' }
    this.lastText = text
    let next: CompiledFlags
    try {
      next = compileFlags(text, this.options.path)
    } catch (error) {
      if (error instanceof ConfigError) return this.fail(error)
      throw error
    }
    const flagsChanged = changedFlags(this.flags.hashes, next.hashes)
    this.flags = next
    if (this.failing) {
      this.failing = false
      this.events.emit(ProviderEvents.Ready, { message: `${this.options.path} is valid again` })
    }
    if (flagsChanged.length === 0) return { status: 'unchanged' }
    this.logger.info(`reloaded ${this.options.path}: ${flagsChanged.join(', ')} changed`)
    this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged })
    return { status: 'changed', flagsChanged }
  }

  private fail(error: ConfigError): ReloadResult {
    this.failing = true
    this.logger.error(`${error.message}\n  the flags loaded before stay in use`)
    this.events.emit(ProviderEvents.Error, { message: error.message })
    return { status: 'invalid', error }
  }
}

async function readFlagText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    const message = `cannot read the flag file: ${error instanceof Error ? error.message : String(error)}`
    throw new ConfigError([{ file: path, message, hint: 'point `path` at a flagd flag file' }], {
      cause: error,
    })
  }
}
