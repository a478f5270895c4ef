import { AsyncLocalStorage } from 'node:async_hooks'

/** The identity labels one request is recorded under when they differ from the process's. */
export interface RequestLabels {
  /** The release that served the request, e.g. the canary's. */
  readonly release: string
  /** Its side of the canary: `canary` or `stable`. */
  readonly variant: string
}

/** What the telemetry learns about one HTTP request while it is being handled. */
export interface RequestScope {
  /** Set when an instrumented LLM call failed during the request: the request is an error. */
  llmFailed: boolean
  /** Set by {@link labelRequest}: the release and variant the request is recorded under. */
  labels?: RequestLabels
}

const current = new AsyncLocalStorage<RequestScope>()

/** Runs `fn` with `scope` as the current request, for LLM calls made inside it. */
export function runInScope<T>(scope: RequestScope, fn: () => T): T {
  return current.run(scope, fn)
}

/** The request being handled, if any. */
export function currentScope(): RequestScope | undefined {
  return current.getStore()
}

/**
 * Records the request being handled (and the LLM calls it makes from now on) under `labels`
 * instead of the telemetry's own release and variant: a process that serves a canary and its
 * stable release side by side labels each request with the release that answered it. The last
 * call made while handling a request wins. Outside a recorded request it does nothing and
 * returns `false`.
 */
export function labelRequest(labels: RequestLabels): boolean {
  const scope = current.getStore()
  if (scope === undefined) return false
  scope.labels = labels
  return true
}
