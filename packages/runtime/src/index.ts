/**
 * `@shipgate/runtime`: the SDK inside the user's service. Telemetry (Prometheus series with
 * OpenTelemetry GenAI names, a rolling window for the JSON metrics), LLM client
 * instrumentation, the `/health`, `/metrics` and `/rate-limit/{user}` endpoints as a Fetch
 * handler, middlewares, the node:http adapter, the rate limiter, the feature-flag provider,
 * the canary router and online experiments.
 * Express and Hono adapters are the `/express` and `/hono` subpaths, so this entry never needs
 * them. docs/runtime.md is the guide.
 */
export type { Usage } from './contracts/usage.js'
export type { PriceLookup, PriceOverride, PriceOverrides } from './pricing/index.js'
export { createTelemetry } from './telemetry/telemetry.js'
export type {
  LlmCall,
  LlmOutcome,
  RequestOutcome,
  RequestSpan,
  Telemetry,
  TelemetryOptions,
} from './telemetry/telemetry.js'
export type { Identity, ModelSummary, WindowMetrics } from './telemetry/summary.js'
export { errorType } from './telemetry/error-type.js'
export { createRuntimeHandler } from './http/handler.js'
export type { RuntimeHandlerOptions } from './http/handler.js'
export type { FetchHandler, RuntimeHandler } from './http/fetch.js'
export type {
  CheckReport,
  HealthCheck,
  HealthCheckFn,
  HealthCheckResult,
  HealthOptions,
  HealthReport,
} from './http/health.js'
export { withTelemetry } from './http/middleware.js'
export type { TelemetryMiddlewareOptions } from './http/middleware.js'
export { OTHER_ROUTE, routeResolver } from './http/routes.js'
export type { RouteOption } from './http/routes.js'
export { rateLimitedResponse, withRateLimit } from './http/rate-limit.js'
export type { RateLimitOptions } from './http/rate-limit.js'
export { sendResponse, toNodeListener, toRequest } from './adapters/node.js'
export type { NodeFetchHandler, NodeListenerOptions, ToRequestOptions } from './adapters/node.js'

// The rate limiter, the feature flags, the canary router and experiments, built alongside.
export * from './rate-limit/index.js'
export * from './flags/index.js'
export * from './canary/index.js'
export * from './experiments/index.js'
