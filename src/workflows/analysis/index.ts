/**
 * The canary analysis for Argo Rollouts. `shipgate analysis serve`: the analysis as an HTTP
 * endpoint an AnalysisTemplate's `web` metric calls (docs/canary.md), reading the config's
 * `monitor.source` for a target or URL as `shipgate monitor` does. `shipgate analysis
 * manifests`: the Rollout and AnalysisTemplate that call it (`manifests.ts`).
 */
import type { MetricSource } from '../../contracts/metrics.js'
import { usageError } from '../../errors.js'
import { analysisRules } from '../../config/rollout.js'
import type { CanaryRules } from '../../core/rollout/canary.js'
import { createMetricSource } from '../../metric-sources/index.js'
import type { Redactor } from '../../utils/redact.js'
import { openService, type ServiceOptions } from '../checks/index.js'
import { authorizer } from './auth.js'
import { listen } from './server.js'
import { windowReader } from './windows.js'

export type { AnalysisAnswer, AnalysisVerdict, ArmSummary } from './answer.js'
export {
  argoManifests,
  parseStep,
  DEFAULT_CANARY_STEPS,
  type ArgoManifestOptions,
  type ArgoManifests,
  type CanaryStep,
  type Manifest,
} from './manifests.js'
export { DEFAULT_INTERVAL_MS, MAX_INTERVALS, type AnalysisQuery } from './query.js'

/** Options of {@link serveAnalysis}. */
export interface ServeAnalysisOptions extends Omit<ServiceOptions, 'signal'> {
  /** Address to bind; default 127.0.0.1. Anything else needs `tokenEnv`. */
  readonly host?: string
  /** Port; 0 picks a free one. */
  readonly port: number
  /** The environment variable holding the bearer token callers must send. */
  readonly tokenEnv?: string
  /** How the canary is judged; default the config's `rollout.analysis`. */
  readonly rules?: CanaryRules
  readonly clock?: { now(): number }
  /** Told the token, so nothing printed can carry it. */
  readonly redactor?: Redactor
}

/** A running analysis endpoint. */
export interface RunningAnalysis {
  /** Its base URL; the analysis is `GET <url>/analysis?canary=…&stable=…`. */
  readonly url: string
  /** The metric source it reads. */
  readonly source: string
  close(): Promise<void>
}

/**
 * Starts the endpoint for `spec` (a target or URL); it serves until `close`. Throws a usage
 * error when bound beyond loopback without a token, or when the source cannot count traffic.
 */
export async function serveAnalysis(options: ServeAnalysisOptions): Promise<RunningAnalysis> {
  const host = options.host ?? '127.0.0.1'
  const auth = authorizer(host, options.tokenEnv, options.env)
  if (auth.token !== null) options.redactor?.add([auth.token])
  const closing = new AbortController()
  const service = await openService({ ...options, signal: closing.signal })
  try {
    const config = service.monitor.source
    const context = { targetUrl: service.baseUrl, instances: service.instances }
    const open = (): MetricSource => createMetricSource(config, context)
    if (open().readWindow === undefined) {
      throw usageError(
        `the ${config.type} metric source (${JSON.stringify(config)}) cannot count traffic`,
        'use monitor.source with type: prometheus, or type: endpoint with format: prometheus',
      )
    }
    const read = windowReader(open)
    const deps = {
      read,
      rules: options.rules ?? analysisRules(service.rollout),
      authorize: auth.check,
      clock: options.clock ?? { now: () => Date.now() },
      logger: options.logger.child('analysis'),
      signal: closing.signal,
    }
    const { server, url } = await listen(deps, host, options.port)
    const close = async (): Promise<void> => {
      closing.abort(new Error('the analysis endpoint is closing'))
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await service.close()
    }
    return { url, source: config.type, close }
  } catch (error) {
    await service.close()
    throw error
  }
}
