import type { PriceLookup } from '../pricing/index.js'
import { costOf } from '../pricing/index.js'
import { usageOf } from '../llm/usage.js'
import { errorType } from './error-type.js'
import type { RuntimeMetrics } from './metrics.js'
import { currentScope, runInScope } from './scope.js'
import type { RequestScope } from './scope.js'
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
  constructor(
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
    return {
      run: (fn) => runInScope(scope, fn),
      end: (outcome) => {
        if (ended) return
        ended = true
        this.recordRequest(method, outcome, this.now() - started, scope.llmFailed)
      },
    }
  }

  private recordRequest(method: string, o: RequestOutcome, ms: number, llmFailed: boolean): void {
    const labels = [method, o.route, STATUS_CLASSES[Math.floor(o.status / 100)] ?? 'other']
    this.metrics.requests.inc(labels)
    this.metrics.requestDuration.observe(labels, ms / 1000)
    const failed = o.error !== undefined || o.status >= 500
    if (failed) {
      const type = o.error === undefined ? String(o.status) : errorType(o.error)
      this.metrics.errors.inc([method, o.route, type])
    }
    this.window.addRequest(this.now(), ms, failed || llmFailed)
  }

  recordLlmCall(o: LlmOutcome): void {
    const operation = o.operation ?? 'chat'
    const labels = [operation, o.provider, o.model]
    const failed = o.error !== undefined
    const seconds = o.durationMs / 1000
    this.metrics.operationDuration.observe([...labels, failed ? errorType(o.error) : ''], seconds)
    if (o.usage !== null) {
      this.metrics.tokenUsage.observe([...labels, 'input'], o.usage.input)
      this.metrics.tokenUsage.observe([...labels, 'output'], o.usage.output)
    }
    const costUsd = this.cost(o, failed)
    if (costUsd === null) this.metrics.unpriced.inc(labels)
    else this.metrics.cost.inc(labels, costUsd)
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
