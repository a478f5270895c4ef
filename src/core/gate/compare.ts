import type { CaseChange, Comparison, SuiteComparison } from '../../contracts/compare.js'
import type { CaseResult, ResultsDocument } from '../../contracts/results.js'
import { pairCases, suiteDelta } from './delta.js'

/**
 * Compares run B with run A: each case that failed in A and passes in B is fixed, the reverse
 * broken, a case with mixed samples in B (or whose pass rate moved without its verdict) flaky,
 * the rest unchanged; each suite's paired deltas with their intervals; the cost change.
 */
export function compareRuns(a: ResultsDocument, b: ResultsDocument): Comparison {
  const inA = new Map(a.suites.map((s) => [s.name, s]))
  const inB = new Set(b.suites.map((s) => s.name))
  const suites: SuiteComparison[] = []
  for (const suite of b.suites) {
    const old = inA.get(suite.name)
    if (old === undefined) continue
    const pairs = pairCases(suite, old)
    const paired = new Set(pairs.map(([c]) => c.id))
    suites.push({
      suite: suite.name,
      delta: suiteDelta(suite, old, pairs),
      cases: pairs.map(([now, then]) => ({
        id: now.id,
        change: changeOf(then, now),
        before: then.passRate,
        after: now.passRate,
      })),
      removed: old.cases.filter((c) => !suite.cases.some((x) => x.id === c.id)).map((c) => c.id),
      added: suite.cases
        .filter((c) => !paired.has(c.id) && !old.cases.some((x) => x.id === c.id))
        .map((c) => c.id),
    })
  }
  const costA = a.summary.costUsd
  const costB = b.summary.costUsd
  return {
    a: { id: a.run.id, costUsd: costA },
    b: { id: b.run.id, costUsd: costB },
    costChangePct:
      costA === null || costB === null || costA === 0 ? null : ((costB - costA) / costA) * 100,
    suites,
    onlyInA: a.suites.filter((s) => !inB.has(s.name)).map((s) => s.name),
    onlyInB: b.suites.filter((s) => !inA.has(s.name)).map((s) => s.name),
  }
}

function changeOf(before: CaseResult, after: CaseResult): CaseChange {
  if (!before.pass && after.pass) return 'fixed'
  if (before.pass && !after.pass) return 'broken'
  if (after.flaky || before.flaky) return 'flaky'
  return 'unchanged'
}
