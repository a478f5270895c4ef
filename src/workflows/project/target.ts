/**
 * What `deploy`, `rollback`, `smoke TARGET` and `monitor TARGET` share: the loaded config, the
 * store, the named target with its state directory, and the notifiers. One place resolves a
 * target name, so they all say the same thing when it is wrong.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { LoadedConfig } from '../../config/load.js'
import type { DeployTarget, TargetContext } from '../../contracts/deploy.js'
import type { Logger } from '../../contracts/logger.js'
import type { Notifier, PipelineEvent } from '../../contracts/notifier.js'
import type { Store } from '../../contracts/store.js'
import { createTarget } from '../../deploy-targets/index.js'
import type { TargetConfig } from '../../deploy-targets/schemas.js'
import { usageError } from '../../errors.js'
import { createNotifiers } from '../../notifiers/index.js'
import { openStore } from '../../stores/index.js'
import { guardedStore } from './secrets.js'
import { notifyAll, type NotifyResult } from '../alerts/index.js'
import { loadProjectConfig, type ConfigChoice } from './config.js'
import { storeLocation } from './store.js'

/** Options of {@link openCdContext}. */
export interface CdContextOptions extends ConfigChoice {
  readonly logger: Logger
  readonly signal: AbortSignal
  /** The name under `targets:`. */
  readonly target: string
}

/** An opened project with one target; `close` releases the store and the target. */
export interface CdContext {
  readonly loaded: LoadedConfig
  readonly store: Store
  readonly targetConfig: TargetConfig
  readonly target: DeployTarget
  readonly ctx: TargetContext
  readonly notifiers: readonly Notifier[]
  /** Sends an event to the configured notifiers; never rejects. */
  notify(event: PipelineEvent): Promise<NotifyResult[]>
  close(): Promise<void>
}

/** The directory a target keeps its state in: `.shipgate/targets/<name>/` next to the config. */
export function targetStateDir(configDir: string, target: string): string {
  return join(configDir, '.shipgate', 'targets', target)
}

/** Loads the config and opens the store and the target named `options.target`. */
export async function openCdContext(options: CdContextOptions): Promise<CdContext> {
  const loaded = await loadProjectConfig(options)
  const targetConfig = loaded.config.targets[options.target]
  if (targetConfig === undefined) throw unknownTarget(options.target, loaded)
  const logger = options.logger
  const target = await createTarget(options.target, targetConfig, { logger })
  const stateDir = targetStateDir(loaded.dir, options.target)
  mkdirSync(stateDir, { recursive: true })
  const opened = await openStore(storeLocation(options.env, loaded.config.store), loaded.dir)
  const store = guardedStore(opened, loaded, options)
  const notifiers = createNotifiers(loaded.config.notify, {
    env: options.env,
    logger: logger.child('notify'),
  })
  const ctx: TargetContext = {
    signal: options.signal,
    logger,
    stateDir,
    cwd: loaded.dir,
    env: options.env,
  }
  return {
    loaded,
    store,
    targetConfig,
    target,
    ctx,
    notifiers,
    notify: (event) => notifyAll(notifiers, event, { logger: logger.child('notify') }),
    async close() {
      await target.close?.()
      await store.close()
    },
  }
}

function unknownTarget(name: string, loaded: LoadedConfig) {
  const known = Object.keys(loaded.config.targets)
  return usageError(
    `no target named ${name} under targets: in ${loaded.file ?? 'the config'}`,
    known.length === 0
      ? 'add one, e.g. targets: { staging: { type: local, command: "node server.mjs" } }'
      : `known targets: ${known.join(', ')}`,
  )
}
