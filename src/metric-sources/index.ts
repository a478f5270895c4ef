/**
 * The builtin metric sources by name (`monitor.source.type`), and the one function the monitor,
 * the deploy pipeline and the canary judge build a source with.
 */
import type { TargetInstance } from '../contracts/deploy.js'
import type { MetricSource, MetricWindow, TrafficWindow } from '../contracts/metrics.js'
import { ShipgateError } from '../errors.js'
import { createEndpointSource, joinUrl, scrapeTargets } from './endpoint/index.js'
import { createPrometheusSource } from './prometheus/index.js'
import type { MetricSourceConfig } from './schemas.js'

/** What a source may need from the deploy target it watches. */
export interface MetricSourceContext {
  /** The target's base URL; the endpoint source reads `<targetUrl>/metrics` without `url`. */
  readonly targetUrl: string | null
  /**
   * The target's running instances (a local target with several releases): the endpoint
   * source then reads each instance of the selected release directly.
   */
  readonly instances?: () => Promise<readonly TargetInstance[]>
  /** For the endpoint source's cost per hour; the system clock by default. */
  readonly clock?: { now(): number }
}

type Factory<C> = (config: C, context: MetricSourceContext) => MetricSource
type ConfigOf<T extends MetricSourceConfig['type']> = Extract<MetricSourceConfig, { type: T }>

/** Builtin sources by their config `type`. */
export const builtinMetricSources = {
  endpoint: (config, context) => {
    const url =
      config.url ?? (context.targetUrl === null ? null : joinUrl(context.targetUrl, '/metrics'))
    if (url === null && context.instances === undefined) {
      throw new ShipgateError('config', 'the endpoint metric source has no URL to read', {
        hint: 'give the target a url, or set monitor.source.url',
      })
    }
    return createEndpointSource({
      format: config.format,
      targets: scrapeTargets(url, config.url === undefined ? context.instances : undefined),
      ...(context.clock === undefined ? {} : { clock: context.clock }),
    })
  },
  prometheus: (config) => createPrometheusSource({ url: config.url, selector: config.selector }),
} satisfies { [T in MetricSourceConfig['type']]: Factory<ConfigOf<T>> }

/**
 * The source `config` describes, reading the service at `context.targetUrl` (or its
 * `instances`). Throws a config error when the endpoint source has nowhere to read.
 */
export function createMetricSource(
  config: MetricSourceConfig,
  context: MetricSourceContext,
): MetricSource {
  switch (config.type) {
    case 'endpoint':
      return builtinMetricSources.endpoint(config, context)
    case 'prometheus':
      return builtinMetricSources.prometheus(config)
    default:
      return config satisfies never
  }
}

/**
 * Two releases' traffic over the same window, read side by side: what the canary analysis
 * compares. Throws a TypeError for a source that cannot count traffic per release (callers say
 * so to the user first).
 */
export async function readPair(
  source: MetricSource,
  releases: { readonly canary: string; readonly stable: string },
  window: MetricWindow,
  signal: AbortSignal,
): Promise<{ canary: TrafficWindow; stable: TrafficWindow }> {
  if (source.readWindow === undefined) {
    throw new TypeError(`the ${source.type} metric source has no readWindow`)
  }
  const [canary, stable] = await Promise.all([
    source.readWindow({ release: releases.canary }, window, signal),
    source.readWindow({ release: releases.stable }, window, signal),
  ])
  return { canary, stable }
}
