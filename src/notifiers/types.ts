import type { Clock, Random } from '../contracts/clock.js'
import type { Logger } from '../contracts/logger.js'
import type { Notifier } from '../contracts/notifier.js'

/** What a builtin notifier is built with. Secrets come from `env`, by the names in the config. */
export interface NotifierDeps {
  /** The environment the URLs and secrets are read from, when an event is sent. */
  readonly env: Readonly<Record<string, string | undefined>>
  /** Tagged with the notifier's name; never given a URL or a secret. */
  readonly logger: Logger
  /** The HTTP client; the global `fetch` by default. */
  readonly fetch?: typeof fetch
  /** Waits between retries; the system clock by default. */
  readonly clock?: Clock
  /** Jitter of the backoff; `Math.random` by default. */
  readonly random?: Random
  /** First backoff delay in ms, doubled per retry; 500 by default. Tests make it small. */
  readonly retryBaseMs?: number
}

/** Builds a notifier from its config entry (already validated) and {@link NotifierDeps}. */
export type NotifierFactory<C> = (
  config: C & { readonly name: string },
  deps: NotifierDeps,
) => Notifier
