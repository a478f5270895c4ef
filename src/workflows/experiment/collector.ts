/**
 * `shipgate experiment collect`: the endpoint the SDK's collector sink posts events to
 * (`collector-http.ts` speaks the protocol). It opens the project's config and store, binds
 * 127.0.0.1 by default, and serves until `close`.
 */
import type { ExperimentEvent } from '@shipgate/runtime/experiments'
import type { Logger } from '../../contracts/logger.js'
import type { Redactor } from '../../utils/redact.js'
import { loadProjectConfig, openStoreFor, type StoreChoice } from './open.js'
import { collectorAuth } from './auth.js'
import { listenCollector } from './collector-http.js'

/** Options of {@link serveCollector}. */
export interface CollectorOptions extends StoreChoice {
  readonly logger: Logger
  /** Address to bind; default 127.0.0.1. Anything else needs a token. */
  readonly host?: string
  /** Port; 0 picks a free one. */
  readonly port: number
  /** The environment variable holding the bearer token; default SHIPGATE_COLLECTOR_TOKEN. */
  readonly tokenEnv?: string
  /** Told the token, so nothing printed can carry it. */
  readonly redactor?: Redactor
}

/** A running collector. */
export interface RunningCollector {
  /** Its base URL; events go to `POST <url>/v1/events`. */
  readonly url: string
  /** Whether requests must carry the bearer token. */
  readonly authenticated: boolean
  /** Stops accepting requests, then closes the store it opened. */
  close(): Promise<void>
}

/** Starts the collector. Throws a usage error off loopback without a token. */
export async function serveCollector(options: CollectorOptions): Promise<RunningCollector> {
  const host = options.host ?? '127.0.0.1'
  const auth = collectorAuth(host, options.tokenEnv, options.env)
  if (auth.token !== null) options.redactor?.add([auth.token])
  const loaded = await loadProjectConfig(options)
  const { store, release } = await openStoreFor(options, loaded)
  try {
    const deps = {
      append: (events: readonly ExperimentEvent[]) => store.experimentEvents.append(events),
      authorize: auth.check,
      known: new Set(Object.keys(loaded.config.experiments)),
      logger: options.logger.child('collector'),
    }
    const { server, url } = await listenCollector(deps, host, options.port)
    const close = async (): Promise<void> => {
      // Requests in flight finish (their batch is stored or not, never half) before the store closes.
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeIdleConnections()
      })
      await release()
    }
    return { url, authenticated: auth.check !== null, close }
  } catch (error) {
    await release()
    throw error
  }
}
