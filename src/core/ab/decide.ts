import { normalMde, normalSampleSize } from '../stats/power.js'
import type { CostGuardrail, PairedMetric } from './metrics.js'
import { continuityCorrected } from './plan.js'

/*
 * The decision rule. A winner needs all three: the primary metric significantly better
 * (two-sided, at alpha), the winner's cost within the guardrail, and the planned sample reached.
 * Anything else is "no detectable difference" (or a blocked winner), with the minimum
 * detectable effect at this sample so a reader knows what "no difference" can rule out.
 */

/** The outcome of an offline A/B analysis. */
export interface ABDecision {
  /** The variant that won, or null. */
  readonly winner: 'A' | 'B' | null
  /** `winner`, `no-difference` (not significant) or `blocked` (significant, but a rule failed). */
  readonly verdict: 'winner' | 'no-difference' | 'blocked'
  /** One line per rule that decided, for the report. */
  readonly reasons: readonly string[]
  /** The smallest |B - A| on the primary metric this sample finds with the planned power. */
  readonly mde: number
  /** Cases needed to find the effect asked (options.effect), when one was asked. */
  readonly casesNeeded?: number
}

/** What the decision needs of the primary metric: a paired metric or the judge preference. */
export type DecisionMetric = Pick<PairedMetric, 'cases' | 'pValue' | 'sdDifference'> & {
  /** B's advantage: positive favours B (B - A, or B's preference share - 1/2). */
  readonly difference: { readonly value: number }
}

/** What the decision reads. */
export interface DecisionInput {
  readonly primary: DecisionMetric | undefined
  readonly primaryName: string
  /** The cost guardrail of the variant that would win, undefined when cost is not measured. */
  readonly guardrail: (winner: 'A' | 'B') => CostGuardrail | undefined
  readonly alpha: number
  readonly power: number
  /** The primary metric is decided by exact McNemar: MDE and cases are continuity-corrected. */
  readonly exact: boolean
  readonly plannedCases?: number | undefined
  readonly effect?: number | undefined
}

/** Applies the decision rule to the analysed metrics. */
export function decide(input: DecisionInput): ABDecision {
  const p = input.primary
  if (p === undefined)
    return {
      winner: null,
      verdict: 'no-difference',
      reasons: [`${input.primaryName} was not measured on two cases or more`],
      mde: NaN,
    }
  const sizing = sampleFigures(p, input)
  if (!(p.pValue < input.alpha))
    return {
      winner: null,
      verdict: 'no-difference',
      reasons: [
        `no detectable difference in ${input.primaryName}: p = ${fmt(p.pValue)} >= ${input.alpha}`,
      ],
      ...sizing,
    }
  const candidate = p.difference.value > 0 ? 'B' : 'A'
  const reasons = [
    `${input.primaryName} favours ${candidate}: p = ${fmt(p.pValue)} < ${input.alpha}`,
  ]
  const blocked: string[] = []
  const guard = input.guardrail(candidate)
  if (guard !== undefined && !guard.pass)
    blocked.push(
      `cost guardrail failed: ${candidate} costs ${fmt(guard.ratio)} × the other, not shown below ${guard.margin} × (p = ${fmt(guard.pValue)})`,
    )
  if (input.plannedCases !== undefined && p.cases < input.plannedCases)
    blocked.push(`planned sample not reached: ${p.cases} of ${input.plannedCases} cases`)
  if (blocked.length > 0)
    return { winner: null, verdict: 'blocked', reasons: [...reasons, ...blocked], ...sizing }
  return { winner: candidate, verdict: 'winner', reasons, ...sizing }
}

/**
 * The MDE at this sample and the cases needed for the effect asked, from the normal power
 * equation; for exact McNemar continuity-corrected as planAB does (n·δ - 1 = k·√n, so the
 * MDE grows by 1/n).
 */
function sampleFigures(p: DecisionMetric, input: DecisionInput) {
  const options = { alpha: input.alpha, design: 'one-sample' } as const
  const sd = p.sdDifference
  const normal = Number.isFinite(sd) ? normalMde(p.cases, input.power, options) * sd : NaN
  const mde = input.exact ? normal + 1 / p.cases : normal
  if (input.effect === undefined || !(sd > 0)) return { mde }
  const n = normalSampleSize(Math.abs(input.effect) / sd, input.power, options)
  return { mde, casesNeeded: Math.ceil(input.exact ? continuityCorrected(n, input.effect) : n) }
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(3) : String(x)
}
