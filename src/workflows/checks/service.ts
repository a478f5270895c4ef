/**
 * What `shipgate smoke` and `shipgate monitor` check: a URL given as is (`http://…`), or a
 * target named under `targets:` whose URL (and running instances) the target reports. The
 * config's `smoke:` and `monitor:` sections apply in both cases; without a config file a URL
 * is checked with the defaults.
 */
import { findConfig } from '../../config/load.js'
import {
  monitorSchema,
  rolloutSchema,
  smokeSchema,
  type MonitorConfig,
  type RolloutConfig,
  type SmokeConfig,
} from '../../config/deploy-schema.js'
import type { TargetInstance } from '../../contracts/deploy.js'
import type { Logger } from '../../contracts/logger.js'
import type { PipelineEvent } from '../../contracts/notifier.js'
import { ShipgateError, usageError } from '../../errors.js'
import * as z from '../../utils/zod.js'
import { loadProjectConfig, openCdContext, type ConfigChoice } from '../project/index.js'
import { notifyConfigured } from '../alerts/index.js'

/** Options of {@link openService}. */
export interface ServiceOptions extends ConfigChoice {
  /** A URL (`http://…`, `https://…`) or a target name. */
  readonly spec: string
  readonly logger: Logger
  readonly signal: AbortSignal
}

/** The service to check and the config to check it with. Call `close` when done. */
export interface Service {
  readonly baseUrl: string
  /** The target's name, or `null` for a URL. */
  readonly target: string | null
  readonly smoke: SmokeConfig
  readonly monitor: MonitorConfig
  /** How a canary is rolled out and judged (`rollout:`). */
  readonly rollout: RolloutConfig
  /** The target's running instances, when it can tell (a local target). */
  readonly instances?: () => Promise<readonly TargetInstance[]>
  /** Sends an event through the config's `notify:` list (nothing without one); never rejects. */
  notify(event: PipelineEvent): Promise<unknown>
  close(): Promise<void>
}

/** Whether `spec` is a URL rather than a target name. */
export function isUrl(spec: string): boolean {
  return /^https?:\/\//i.test(spec)
}

/** Resolves `options.spec` to a base URL and the config sections that apply to it. */
export async function openService(options: ServiceOptions): Promise<Service> {
  if (isUrl(options.spec)) return urlService(options)
  const cd = await openCdContext({ ...options, target: options.spec })
  try {
    const baseUrl = await cd.target.url(cd.ctx)
    if (baseUrl === null) {
      throw usageError(
        `target ${options.spec} has no URL to check`,
        `set url: on targets.${options.spec}, or pass the URL instead of the target name`,
      )
    }
    const { target, ctx } = cd
    return {
      baseUrl,
      target: options.spec,
      smoke: cd.loaded.config.smoke,
      monitor: cd.loaded.config.monitor,
      rollout: cd.loaded.config.rollout,
      ...(target.instances === undefined ? {} : { instances: () => target.instances!(ctx) }),
      notify: (event) => cd.notify(event),
      close: () => cd.close(),
    }
  } catch (error) {
    await cd.close()
    throw error
  }
}

async function urlService(options: ServiceOptions): Promise<Service> {
  const config = hasConfig(options)
    ? (await loadProjectConfig(options, { shallow: true })).config
    : null
  return {
    baseUrl: options.spec,
    target: null,
    smoke: config?.smoke ?? z.parse(smokeSchema, {}),
    monitor: config?.monitor ?? z.parse(monitorSchema, {}),
    rollout: config?.rollout ?? z.parse(rolloutSchema, {}),
    notify: (event) =>
      notifyConfigured(config?.notify ?? [], event, { env: options.env, logger: options.logger }),
    close: () => Promise.resolve(),
  }
}

/** Whether a config applies: a value or `-c` given, or a file found upward from the directory. */
function hasConfig(options: ServiceOptions): boolean {
  if (options.config !== undefined || options.configFile !== undefined) return true
  try {
    findConfig({ cwd: options.cwd })
    return true
  } catch (error) {
    if (error instanceof ShipgateError && error.code === 'usage') return false
    throw error
  }
}
