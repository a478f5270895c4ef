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

/** What {@link resumeRun} keeps of an earlier attempt of a run. */
export interface Resumed {
  /** The earlier attempt's samples that finished without error, for cases planned the same. */
  readonly samples: readonly SampleResult[]
  /** Whether a planned sample is among them, so it is not run again. */
  readonly has: (suite: string, caseId: string, sample: number) => boolean
}

/**
 * The samples of an earlier attempt of a run (`eval --resume`) that the new attempt keeps: each
 * sample that finished without error, of a case whose fingerprint is unchanged and within its
 * planned repeats. Errored samples run again (in a batched run, from the batch that may have
 * answered them since).
 */
export function resumeRun(plan: EvalPlan, earlier: ResultsDocument): Resumed {
  const samples: SampleResult[] = []
  const kept = new Set<string>()
  for (const suite of plan.suites) {
    const before = earlier.suites.find((s) => s.name === suite.name)
    if (before === undefined) continue
    const byId = new Map(before.cases.map((c) => [c.id, c]))
    for (const kase of suite.cases) {
      const old = byId.get(kase.id)
      if (old === undefined || old.fingerprint !== kase.fingerprint) continue
      const repeat = repeatOf(suite, kase)
      for (const s of old.samples) {
        if (s.sample >= repeat || s.error !== null) continue
        samples.push(s)
        kept.add(sampleKey(suite.name, kase.id, s.sample))
      }
    }
  }
  return {
    samples,
    has: (suite, caseId, sample) => kept.has(sampleKey(suite, caseId, sample)),
  }
}

function sampleKey(suite: string, caseId: string, sample: number): string {
  return `${suite}\u0000${caseId}\u0000${sample}`
}
