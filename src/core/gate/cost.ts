import type { GateCheck } from '../../contracts/gate.js'
import type { SuiteResult } from '../../contracts/results.js'

/**
 * The cost comparison with the baseline, per provider call: a run repeated 5 times costs 5 times
 * as much per case without any call getting dearer, so cost per case would call a repeat change a
 * cost regression. Priced calls only (an unpriced call has no cost to compare).
 */
export interface CostTally {
  now: number
  then: number
  callsNow: number
  callsThen: number
  unpriced: boolean
  /** Suites whose repeat count differs from the baseline's, e.g. `1 → 5 (code-review)`. */
  readonly repeats: string[]
}

/** An empty tally, before any suite is added. */
export function costTally(): CostTally {
  return { now: 0, then: 0, callsNow: 0, callsThen: 0, unpriced: false, repeats: [] }
}

/** Adds one suite present in both runs to the tally. */
export function tallySuite(tally: CostTally, now: SuiteResult, then: SuiteResult): void {
  if (now.repeat !== then.repeat) tally.repeats.push(`${then.repeat} → ${now.repeat} (${now.name})`)
  const costNow = now.stats.costUsd.total
  const costThen = then.stats.costUsd.total
  if (costNow === null || costThen === null) {
    tally.unpriced = true
    return
  }
  tally.now += costNow
  tally.then += costThen
  tally.callsNow += now.stats.samples - now.stats.costUsd.unpriced
  tally.callsThen += then.stats.samples - then.stats.costUsd.unpriced
}

/** The `cost-increase` check: cost per call against the baseline, within `limit` percent. */
export function costCheck(tally: CostTally, limit: number, label: string): GateCheck {
  const base = {
    id: 'cost-increase',
    kind: 'baseline' as const,
    name: `cost increase vs ${label}`,
    approval: 'cost',
    limit,
  }
  const { now, then, callsNow, callsThen } = tally
  if (tally.unpriced || callsNow === 0 || callsThen === 0 || then === 0) {
    return {
      ...base,
      status: 'skipped',
      actual: null,
      message: 'skipped: cost unknown (unpriced model) or nothing to compare',
    }
  }
  const perNow = now / callsNow
  const perThen = then / callsThen
  const changePct = ((perNow - perThen) / perThen) * 100
  const repeats = tally.repeats.length === 0 ? '' : `; repeat differs: ${tally.repeats.join(', ')}`
  return {
    ...base,
    status: changePct <= limit ? 'passed' : 'failed',
    actual: changePct,
    message: `cost per call ${usd(perThen)} → ${usd(perNow)} (${pct(changePct)}; limit +${limit}%)${repeats}`,
  }
}

const usd = (v: number) => `$${v.toPrecision(3)}`
const pct = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)}%`
