import type { PriceLookup } from '../pricing/index.js'
import { costOf } from '../pricing/index.js'
import { usageOf } from '../llm/usage.js'
import { errorType } from './error-type.js'
import type { RuntimeMetrics } from './metrics.js'
import { currentScope, runInScope } from './scope.js'
import type { RequestLabels, RequestScope } from './scope.js'
import type { ConstantOverride } from './series.js'
import type { Identity } from './summary.js'
import type { LlmCall, LlmOutcome, RequestOutcome, RequestSpan } from './telemetry.js'
import type { RollingWindow } from './window.js'

const STATUS_CLASSES = ['0xx', '1xx', '2xx', '3xx', '4xx', '5xx']
const METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'CONNECT',
  'TRACE',
])

/** Writes each outcome to the Prometheus series and the rolling window. */
export class Recorder {
  /** Constant-label overrides by release and variant, made once each. */
  private readonly overrides = new Map<string, ConstantOverride>()

  constructor(
    private readonly identity: Identity,
    private readonly metrics: RuntimeMetrics,
    private readonly window: RollingWindow,
    private readonly prices: PriceLookup,
    private readonly now: () => number,
  ) {}

  beginRequest(rawMethod: string): RequestSpan {
    const started = this.now()
    const scope: RequestScope = { llmFailed: false }
    const method = METHODS.has(rawMethod) ? rawMethod : '_OTHER'
    let ended = false
    let firstByteAt: number | undefined
    return {
      run: (fn) => runInScope(scope, fn),
      firstByte: () => {
        firstByteAt ??= this.now()
      },
      end: (outcome) => {
        if (ended) return
        ended = true
        const t = this.now()
        const times = { ms: t - started, firstByteMs: (firstByteAt ?? t) - started }
        this.recordRequest(method, outcome, times, scope)
      },
    }
  }

  private recordRequest(
    method: string,
    o: RequestOutcome,
    { ms, firstByteMs }: { readonly ms: number; readonly firstByteMs: number },
    scope: RequestScope,
  ): void {
    const labels = [method, o.route, STATUS_CLASSES[Math.floor(o.status / 100)] ?? 'other']
    const override = this.override(scope.labels)
    this.metrics.requests.inc(labels, 1, override)
    this.metrics.requestDuration.observe(labels, ms / 1000, override)
    this.metrics.timeToFirstByte.observe(labels, firstByteMs / 1000, override)
    const failed = o.error !== undefined || o.status >= 500
    if (failed) {
      const type = o.error === undefined ? String(o.status) : errorType(o.error)
      this.metrics.errors.inc([method, o.route, type], 1, override)
    }
    this.window.addRequest(this.now(), ms, failed || scope.llmFailed)
  }

  /** The series' constants for a request labelled by `labelRequest`; none when they are ours. */
  private override(labels: RequestLabels | undefined): ConstantOverride | undefined {
    if (labels === undefined) return undefined
    const { release, variant } = labels
    if (release === this.identity.release && variant === this.identity.variant) return undefined
    const key = `${release}\u0000${variant}`
    let override = this.overrides.get(key)
    if (override === undefined) {
      override = { key, labels: { ...this.identity, release, variant } }
      this.overrides.set(key, override)
    }
    return override
  }

  recordLlmCall(o: LlmOutcome): void {
    const operation = o.operation ?? 'chat'
    const labels = [operation, o.provider, o.model]
    const failed = o.error !== undefined
    const seconds = o.durationMs / 1000
    const m = this.metrics
    const override = this.override(currentScope()?.labels)
    m.operationDuration.observe([...labels, failed ? errorType(o.error) : ''], seconds, override)
    if (o.timeToFirstChunkMs !== undefined) {
      m.timeToFirstChunk.observe(labels, o.timeToFirstChunkMs / 1000, override)
    }
    if (o.usage !== null) {
      m.tokenUsage.observe([...labels, 'input'], o.usage.input, override)
      m.tokenUsage.observe([...labels, 'output'], o.usage.output, override)
    }
    const costUsd = this.cost(o, failed)
    if (costUsd === null) m.unpriced.inc(labels, 1, override)
    else m.cost.inc(labels, costUsd, override)
    const t = this.now()
    const { input = 0, output = 0 } = o.usage ?? {}
    const { provider, model, durationMs } = o
    this.window.addCall(t, { provider, model, durationMs, input, output, costUsd, failed })
    this.attribute(t, durationMs, failed)
  }

  /** A failed call without usage was not billed; otherwise the price table says. */
  private cost(o: LlmOutcome, failed: boolean): number | null {
    if (o.usage === null) return failed ? 0 : null
    return costOf(this.prices(o.provider, o.model), o.usage)
  }

  /** A call inside a request marks it failed; one outside any request is a unit of its own. */
  private attribute(t: number, durationMs: number, failed: boolean): void {
    const scope = currentScope()
    if (scope === undefined) this.window.addRequest(t, durationMs, failed)
    else if (failed) scope.llmFailed = true
  }

  async observe<T>(call: LlmCall, fn: () => T | Promise<T>): Promise<T> {
    const started = this.now()
    try {
      const result = await fn()
      const usage = usageOf(call.provider, result)
      this.recordLlmCall({ ...call, durationMs: this.now() - started, usage })
      return result
    } catch (error) {
      this.recordLlmCall({ ...call, durationMs: this.now() - started, usage: null, error })
      throw error
    }
  }
}
