import type { ResultsDocument, SampleResult } from '../../contracts/results.js'
import { repeatOf, type EvalPlan } from './plan.js'

/** What {@link reuseBaseline} keeps from the baseline and what is left to run. */
export interface Reuse {
  /** The plan without the reused cases. */
  readonly plan: EvalPlan
  /** The reused cases' samples, marked `reused`. */
  readonly samples: readonly SampleResult[]
  readonly cases: number
}

/**
 * Cases of the plan whose fingerprint equals the baseline's case of the same suite and id, and
 * whose baseline samples all finished without error, take the baseline's samples instead of
 * running; `allowed` excludes suites whose code changed in ways fingerprints cannot see (asked
 * with the config's suite name: a variant's `variant.suite`). Variants pair by their run name.
 */
export function reuseBaseline(
  plan: EvalPlan,
  baseline: ResultsDocument,
  allowed: (suite: string) => boolean,
): Reuse {
  const samples: SampleResult[] = []
  let cases = 0
  const suites = plan.suites.map((suite) => {
    const before = baseline.suites.find((s) => s.name === suite.name)
    if (before === undefined || !allowed(suite.variant?.suite ?? suite.name)) return suite
    const byId = new Map(before.cases.map((c) => [c.id, c]))
    const remaining = suite.cases.filter((kase) => {
      const old = byId.get(kase.id)
      if (old === undefined || kase.fingerprint === undefined) return true
      if (old.fingerprint !== kase.fingerprint) return true
      const repeat = repeatOf(suite, kase)
      const kept = old.samples.filter((s) => s.sample < repeat)
      if (kept.length < repeat || kept.some((s) => s.error !== null)) return true
      // Not `{ ...s, reused: true }`: a hidden class per reused sample on Node 20 (ADR 0009).
      for (const s of kept) samples.push(Object.assign({}, s, { reused: true }))
      cases += 1
      return false
    })
    return remaining.length === suite.cases.length ? suite : { ...suite, cases: remaining }
  })
  return { plan: { suites }, samples, cases }
}
