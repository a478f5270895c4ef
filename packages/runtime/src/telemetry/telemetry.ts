import { Buffer } from 'node:buffer'
import { performance } from 'node:perf_hooks'
import { Registry } from 'prom-client'
import type { Usage } from '../contracts/usage.js'
import { createPriceLookup } from '../pricing/index.js'
import type { PriceLookup, PriceOverrides } from '../pricing/index.js'
import { withTelemetry } from '../http/middleware.js'
import type { RouteOption } from '../http/routes.js'
import { ANTHROPIC, OPENAI } from '../llm/clients.js'
import { instrumentClient } from '../llm/instrument.js'
import { createMetrics, renderRegistry } from './metrics.js'
import { Recorder } from './recorder.js'
import { summarize } from './summary.js'
import type { Identity, WindowMetrics } from './summary.js'
import { RollingWindow } from './window.js'

/** Options of {@link createTelemetry}. */
export interface TelemetryOptions {
  /** The service's name: the `service` label of every series. */
  readonly service: string
  /** The code version (a semver, a commit): the `version` label. */
  readonly version: string
  /** The shipgate release id (code + prompts + models): the `release` label. */
  readonly release: string
  /** Which side of a canary or experiment this process is, e.g. `canary`. Default `stable`. */
  readonly variant?: string
  /**
   * Where the series are registered; default a new registry of their own, never prom-client's
   * global one. The registry's default labels are set to the four identity labels, so the
   * service's own metrics in it carry them too. One telemetry per registry.
   */
  readonly registry?: Registry
  /** Price overrides in USD per million tokens, keyed by model id, or a whole price lookup. */
  readonly prices?: PriceOverrides | PriceLookup
  /** Length of the JSON metrics' rolling window in seconds. Default 300. */
  readonly window?: number
  /** Monotonic milliseconds; default `performance.now`. Tests inject a fake clock. */
  readonly now?: () => number
}

/** The outcome of one HTTP request, as a middleware reports it. */
export interface RequestOutcome {
  /** A route template (`/users/:id`), never a raw path: it is a label. */
  readonly route: string
  readonly status: number
  /** What the handler threw, when it threw (the status is then usually 500). */
  readonly error?: unknown
}

/** One HTTP request being timed; see {@link Telemetry.beginRequest}. */
export interface RequestSpan {
  /** Runs `fn` as this request: LLM calls made inside it (and its async work) count toward it. */
  run<T>(fn: () => T): T
  /**
   * Marks the first byte of the response body as sent (the middlewares call it when the body's
   * first chunk is read or written); the first call counts. A request ended without it has its
   * whole duration as its time to first byte.
   */
  firstByte(): void
  /**
   * Records the request with its duration so far: the middlewares call it when the response
   * body has been sent whole, failed or been cancelled. Only the first call counts.
   */
  end(outcome: RequestOutcome): void
}

/** Which model call an observation is about. */
export interface LlmCall {
  /** `gen_ai.provider.name`, e.g. `anthropic`, `openai`; also picks the price table entry. */
  readonly provider: string
  /** `gen_ai.request.model`. */
  readonly model: string
  /** `gen_ai.operation.name`. Default `chat`. */
  readonly operation?: string
}

/** A finished model call. */
export interface LlmOutcome extends LlmCall {
  /** To the end of the stream, for a streamed call. */
  readonly durationMs: number
  /** A streamed call's time to its first chunk; absent for a call that was not streamed. */
  readonly timeToFirstChunkMs?: number
  /** Normalized usage, `null` when the call reported none. */
  readonly usage: Usage | null
  /** The failure, when the call failed. */
  readonly error?: unknown
}

/** Request and LLM-call telemetry of one service process: Prometheus series and a rolling window. */
export interface Telemetry {
  /** The labels every series carries. */
  readonly identity: Identity
  /** The registry the series live in. */
  readonly registry: Registry
  /** The Content-Type of {@link metricsText}. */
  readonly contentType: string
  /** The telemetry's clock, in milliseconds. */
  readonly now: () => number
  /** Starts timing an HTTP request; middlewares call it, then `run` the handler and `end`. */
  beginRequest(method: string): RequestSpan
  /** Records a finished model call: duration, tokens, cost, and a failure. */
  recordLlmCall(outcome: LlmOutcome): void
  /**
   * Times `fn` as one model call and records it: usage (and so cost) from what it returns
   * (`{ usage }` in shipgate's shape or an SDK's), a failure from what it throws (rethrown).
   */
  observe<T>(call: LlmCall, fn: () => T | Promise<T>): Promise<T>
  /**
   * The Anthropic client, instrumented: a Proxy recording every `messages.create` (and so
   * `messages.stream()`), plain or streamed, with usage from the message or the stream's
   * events. Same type, same return values, `.withResponse()` included.
   */
  instrumentAnthropic<C extends object>(client: C): C
  /**
   * The OpenAI client, instrumented like {@link instrumentAnthropic}: `chat.completions.create`
   * and `responses.create` and the helpers built on them. A streamed chat reports usage only
   * when asked with `stream_options: { include_usage: true }`.
   */
  instrumentOpenAI<C extends object>(client: C): C
  /** `withTelemetry(handler, { telemetry: this, route })`. */
  wrap<R extends Response | undefined>(
    handler: (request: Request) => R | Promise<R>,
    options?: { readonly route?: RouteOption },
  ): (request: Request) => Promise<R>
  /** The Prometheus text exposition of the registry. */
  metricsText(): Promise<string>
  /**
   * The same text as UTF-8 chunks of about 64 KB, what `GET /metrics` sends: far cheaper than
   * one string when the registry holds thousands of lines.
   */
  metricsChunks(): Promise<Uint8Array[]>
  /** The JSON metrics over the rolling window ending now. */
  snapshot(): WindowMetrics
}

/** Creates the telemetry of one service process. See docs/runtime.md. */
export function createTelemetry(options: TelemetryOptions): Telemetry {
  const identity: Identity = {
    service: options.service,
    version: options.version,
    release: options.release,
    variant: options.variant ?? 'stable',
  }
  const registry = options.registry ?? new Registry()
  registry.setDefaultLabels({ ...identity })
  const metrics = createMetrics(registry, { ...identity })
  const now = options.now ?? (() => performance.now())
  const prices =
    typeof options.prices === 'function' ? options.prices : createPriceLookup(options.prices)
  const window = new RollingWindow((options.window ?? 300) * 1000, now())
  const recorder = new Recorder(identity, metrics, window, prices, now)
  const telemetry: Telemetry = {
    identity,
    registry,
    contentType: registry.contentType,
    now,
    beginRequest: (method) => recorder.beginRequest(method),
    recordLlmCall: (outcome) => recorder.recordLlmCall(outcome),
    observe: (call, fn) => recorder.observe(call, fn),
    metricsText: async () => Buffer.concat(await renderRegistry(registry, metrics)).toString(),
    metricsChunks: () => renderRegistry(registry, metrics),
    instrumentAnthropic: (client) => instrumentClient(client, ANTHROPIC, telemetry),
    instrumentOpenAI: (client) => instrumentClient(client, OPENAI, telemetry),
    wrap: (handler, options = {}) => withTelemetry(handler, { ...options, telemetry }),
    snapshot: () => summarize(identity, window.windowMs, window.rows(now())),
  }
  return telemetry
}
