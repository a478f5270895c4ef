/** The bookkeeping of one `experiment judge` run: its judge calls and the grades per variant. */
import type { Grade } from '../../contracts/assertion.js'
import type { ExperimentJudgeReport, VariantJudgeScores } from '../../contracts/experiment-ops.js'
import { addUsage, type Usage } from '../../contracts/usage.js'

/** Counts calls and grades as they come. */
export interface JudgeTally {
  /** A grade stored by an earlier run. */
  earlier(variant: string, score: number): void
  /** A grade made now. */
  grade(variant: string, score: number): void
  /** The calls behind a grade (or a failure). */
  calls(grade: Grade): void
  gradedNow(): number
  /** The report, with what the caller counted. */
  report(
    counts: Omit<ExperimentJudgeReport, 'graded' | 'calls' | 'usage' | 'costUsd' | 'variants'>,
  ): ExperimentJudgeReport
}

/** A tally whose per-variant scores list `variants` first, then any other seen. */
export function judgeTally(variants: readonly string[]): JudgeTally {
  const scores = new Map<string, { n: number; sum: number }>(
    variants.map((v) => [v, { n: 0, sum: 0 }]),
  )
  let graded = 0
  let calls = 0
  let usage: Usage | null = null
  let costUsd: number | null = 0
  const add = (variant: string, score: number): void => {
    const s = scores.get(variant) ?? { n: 0, sum: 0 }
    scores.set(variant, { n: s.n + 1, sum: s.sum + score })
  }
  return {
    earlier: add,
    grade(variant, score) {
      graded += 1
      add(variant, score)
    },
    calls(grade) {
      const judge = grade.judge
      if (judge === undefined) return
      calls += judge.calls
      if (judge.usage !== null) usage = usage === null ? judge.usage : addUsage(usage, judge.usage)
      costUsd = costUsd === null || judge.costUsd === null ? null : costUsd + judge.costUsd
    },
    gradedNow: () => graded,
    report(counts) {
      const perVariant: VariantJudgeScores[] = [...scores].map(([variant, s]) => ({
        variant,
        graded: s.n,
        meanScore: s.n === 0 ? null : s.sum / s.n,
      }))
      return {
        ...counts,
        graded,
        calls,
        usage,
        costUsd: calls === 0 ? 0 : costUsd,
        variants: perVariant,
      }
    },
  }
}
