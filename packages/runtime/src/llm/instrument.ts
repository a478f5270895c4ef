import type { Usage } from '../contracts/usage.js'
import type { LlmOutcome } from '../telemetry/telemetry.js'
import { observeStream } from './stream.js'
import type { StreamFolder } from './stream.js'
import { field } from './usage.js'

/** How the results of one SDK method carry usage. */
export interface MethodSpec {
  /** `gen_ai.operation.name` of its calls. */
  readonly operation: string
  /** The usage of a whole (non-streamed) result. */
  usage(result: unknown): Usage | null
  /** A fresh reader of one streamed result's events. */
  stream(): StreamFolder
}

/** What to instrument in one SDK's client: methods by their path from the client. */
export interface ClientSpec {
  /** `gen_ai.provider.name`, also the price table's provider type. */
  readonly provider: string
  /** E.g. `{ 'chat.completions.create': ... }`. */
  readonly methods: Readonly<Record<string, MethodSpec>>
}

/** Where instrumented calls report. */
export interface CallSink {
  now(): number
  recordLlmCall(outcome: LlmOutcome): void
}

type Fn = (...args: unknown[]) => unknown

/**
 * A Proxy over `client` whose methods named in `spec` record every call; everything else is
 * the client's own. Resources reached through the proxy are proxies too, and their `_client`
 * is the proxied client, so the SDKs' helpers built on `create` (`messages.stream()`,
 * `chat.completions.stream()`/`parse()`, `responses.stream()`/`parse()`) are recorded as well.
 */
export function instrumentClient<C extends object>(client: C, spec: ClientSpec, sink: CallSink): C {
  const prefixes = new Set<string>()
  for (const path of Object.keys(spec.methods)) {
    const parts = path.split('.')
    for (let i = 1; i < parts.length; i++) prefixes.add(parts.slice(0, i).join('.'))
  }
  const at = (target: object, path: string): object => {
    const memo = new Map<PropertyKey, { source: unknown; value: unknown }>()
    const remember = (prop: PropertyKey, source: unknown, make: () => unknown): unknown => {
      const hit = memo.get(prop)
      if (hit !== undefined && hit.source === source) return hit.value
      const value = make()
      memo.set(prop, { source, value })
      return value
    }
    return new Proxy(target, {
      get(t, prop) {
        if (prop === '_client' && path !== '') return root
        const value: unknown = Reflect.get(t, prop, t)
        const full = typeof prop === 'string' ? (path === '' ? prop : `${path}.${prop}`) : ''
        const method = Object.hasOwn(spec.methods, full) ? spec.methods[full] : undefined
        if (method !== undefined && typeof value === 'function') {
          return remember(prop, value, () =>
            wrapMethod(t, value as Fn, spec.provider, method, sink),
          )
        }
        if (prefixes.has(full) && typeof value === 'object' && value !== null) {
          return remember(prop, value, () => at(value, full))
        }
        // The client object keeps private fields: its methods must run on it, not the proxy.
        if (path === '' && typeof value === 'function' && prop !== 'constructor') {
          return remember(prop, value, () => (value as Fn).bind(t))
        }
        return value
      },
    })
  }
  const root = at(client, '') as C
  return root
}

function wrapMethod(
  target: object,
  fn: Fn,
  provider: string,
  spec: MethodSpec,
  sink: CallSink,
): Fn {
  return function instrumented(...args: unknown[]): unknown {
    const model = field(args[0], 'model')
    const call = {
      provider,
      model: typeof model === 'string' ? model : 'unknown',
      operation: spec.operation,
    }
    const started = sink.now()
    let recorded = false
    let firstChunkMs: number | undefined
    const record = (usage: Usage | null, error?: unknown): void => {
      if (recorded) return
      recorded = true
      const outcome = { ...call, durationMs: sink.now() - started, usage }
      const timed =
        firstChunkMs === undefined ? outcome : { ...outcome, timeToFirstChunkMs: firstChunkMs }
      sink.recordLlmCall(error === undefined ? timed : { ...timed, error })
    }
    const chunk = (): void => {
      firstChunkMs ??= sink.now() - started
    }
    const settle = {
      value: (data: unknown): void => {
        if (isAsyncIterable(data)) observeStream(data, spec.stream(), record, chunk)
        else record(spec.usage(data))
      },
      error: (error: unknown): void => record(null, error),
    }
    let result: unknown
    try {
      result = fn.apply(target, args)
    } catch (error) {
      settle.error(error)
      throw error
    }
    if (!isThenable(result)) {
      settle.value(result)
      return result
    }
    return observePromise(result, settle)
  }
}

interface Settle {
  readonly value: (data: unknown) => void
  readonly error: (error: unknown) => void
}

/** Methods of the SDKs' `APIPromise` that parse the body: reading any of them starts observing. */
const PARSING = new Set<PropertyKey>(['then', 'catch', 'finally', 'parse', 'withResponse'])

/**
 * The SDK's promise as it is (same class, `.withResponse()`, `.asResponse()`), observed from the
 * moment its data is asked for: never sooner, so that `.asResponse()` gets an unread body.
 */
function observePromise(promise: PromiseLike<unknown>, settle: Settle): unknown {
  let watching = false
  return new Proxy(promise, {
    get(t, prop) {
      if (PARSING.has(prop) && !watching) {
        watching = true
        // A side branch: the caller's own `then` still gets the SDK's outcome untouched.
        t.then(settle.value, settle.error).then(undefined, telemetryFailed)
      }
      const value: unknown = Reflect.get(t, prop, t)
      if (typeof value !== 'function') return value
      if (prop === 'asResponse') return () => asResponse(t, value as Fn, settle)
      // A promise derived from this one (the SDK's parse helpers) is what gets read: observe it.
      if (prop === '_thenUnwrap')
        return (...a: unknown[]) =>
          observePromise((value as Fn).apply(t, a) as PromiseLike<unknown>, settle)
      return (value as Fn).bind(t)
    },
  })
}

/** The raw Response: the call is recorded when it arrives, without usage (the body is unread). */
async function asResponse(target: object, fn: Fn, settle: Settle): Promise<unknown> {
  try {
    const response = await (fn.call(target) as Promise<unknown>)
    settle.value(undefined)
    return response
  } catch (error) {
    settle.error(error)
    throw error
  }
}

/** A bug in the bookkeeping must not become an unhandled rejection in the user's service. */
function telemetryFailed(error: unknown): void {
  console.error('shipgate runtime: recording an LLM call failed:', error)
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function'
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value
}
