import { AsyncLocalStorage } from 'node:async_hooks'

/** What the telemetry learns about one HTTP request while it is being handled. */
export interface RequestScope {
  /** Set when an instrumented LLM call failed during the request: the request is an error. */
  llmFailed: boolean
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
