/**
 * The gate's defaults, stated once. The config schema (`gate:` in `config/schema.ts`) takes its
 * defaults from here, so the JSON Schema and the generated docs/config.md show these values, and
 * `DEFAULT_RULES` is built from them: change a number here and every reader follows.
 */

/** How the current run is compared with its baseline. */
export interface CompareRules {
  /** Cost per provider call may rise at most this many % over the baseline. */
  readonly maxCostIncreasePct: number
  /** p95 latency may rise at most this many % over the baseline. */
  readonly maxLatencyP95IncreasePct: number
  /** A rise of fewer ms than this passes whatever its %: small latencies are noisy. */
  readonly minLatencyIncreaseMs: number
  /** Significance level of the pass-rate and score drop tests (Holm-adjusted). */
  readonly alpha: number
  /** Whether cases that passed in the baseline and fail now fail the gate. */
  readonly newlyFailing: 'fail' | 'report'
}

/** The branch whose latest completed run is the baseline when none is named. */
export const DEFAULT_BASELINE_BRANCH = 'main'

/** The seed's comparison limits (§2.3: cost may rise 20%). */
export const DEFAULT_COMPARE: CompareRules = Object.freeze({
  maxCostIncreasePct: 20,
  maxLatencyP95IncreasePct: 50,
  minLatencyIncreaseMs: 100,
  alpha: 0.05,
  newlyFailing: 'report',
})

/** `gate.budget`'s defaults: warn from 80% of the budget; fail when it will surely be passed. */
export const DEFAULT_BUDGET = Object.freeze({ warnAt: 0.8, onExceed: 'fail' as const })
