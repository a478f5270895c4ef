/**
 * The analysis endpoint's JSON answer (documented in docs/canary.md). `verdict` is what an
 * Argo AnalysisTemplate reads (`jsonPath: "{$.verdict}"`); `ok` and `failed` are the same
 * decision as booleans for other callers.
 */
import type { CanaryAnalysis, MetricAnalysis } from '../../core/rollout/canary.js'

/** The verdicts: the analysis's outcomes, and `error` when it could not be made. */
export type AnalysisVerdict = CanaryAnalysis['outcome'] | 'error'

/** One arm: its release and the requests counted for it. */
export interface ArmSummary {
  readonly release: string | null
  readonly requests: number | null
}

/** The endpoint's answer, on every status. */
export interface AnalysisAnswer {
  readonly verdict: AnalysisVerdict
  /** `verdict === 'passing'`: enough canary traffic, and no metric significantly worse. */
  readonly ok: boolean
  /** `verdict === 'failed'`: a metric is significantly worse; roll back. */
  readonly failed: boolean
  /** One line: why. */
  readonly reason: string
  readonly canary: ArmSummary
  readonly stable: ArmSummary
  /** The intervals analyzed, and the span they cover (ISO 8601; `null` without intervals). */
  readonly intervals: number
  readonly since: string | null
  readonly until: string | null
  /** Each metric's test; empty on `error`. */
  readonly metrics: readonly MetricAnalysis[]
}

/** The span the analyzed intervals cover. */
export interface Span {
  readonly intervals: number
  readonly startMs: number | null
  readonly endMs: number | null
}

/** The answer for an analysis made over `span`. */
export function answerOf(
  analysis: CanaryAnalysis,
  releases: { readonly canary: string; readonly stable: string },
  span: Span,
): AnalysisAnswer {
  return {
    verdict: analysis.outcome,
    ok: analysis.outcome === 'passing',
    failed: analysis.outcome === 'failed',
    reason: analysis.reason,
    canary: { release: releases.canary, requests: analysis.canaryRequests },
    stable: { release: releases.stable, requests: analysis.stableRequests },
    intervals: span.intervals,
    since: iso(span.startMs),
    until: iso(span.endMs),
    metrics: analysis.metrics,
  }
}

/** The answer when no analysis could be made: a bad query, or metrics that cannot be read. */
export function errorAnswer(
  reason: string,
  releases: { readonly canary: string | null; readonly stable: string | null },
): AnalysisAnswer {
  return {
    verdict: 'error',
    ok: false,
    failed: false,
    reason,
    canary: { release: releases.canary, requests: null },
    stable: { release: releases.stable, requests: null },
    intervals: 0,
    since: null,
    until: null,
    metrics: [],
  }
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString()
}
