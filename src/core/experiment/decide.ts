// The decision rule of an online experiment, read at any look (daily, or more often):
// 1. Sample ratio mismatch blocks everything: the data cannot be trusted. An arm without two
//    users measured on every planned metric is not compared yet.
// 2. A treatment is a candidate when its primary metric is significantly better on the
//    always-valid test (Holm across treatments) and every guardrail is shown non-inferior
//    (Holm across the treatment's guardrails).
// 3. A winner is named only once every arm has its minimum users and the minimum days passed;
//    always-valid p-values make naming it at the first such look safe.
// 4. Otherwise keep running, with what is missing; at the planned end, "no detectable
//    difference" with the minimum detectable effect reached, or "no winner" with the reasons.
import { holm } from '../stats/multiple.js'
import { alwaysValidMde } from '../stats/always-valid.js'
import { compareGuardrail, comparePrimary, primaryAlternative } from './metrics.js'
import { orderArms, resolvePlan, type ResolvedPlan } from './plan.js'
import { sampleRatioMismatch } from './srm.js'
import type {
  ArmData,
  ExperimentAnalysis,
  ExperimentData,
  ExperimentDecision,
  ExperimentPlan,
  SrmCheck,
  TreatmentResult,
} from './types.js'

/**
 * Analyzes one look of an experiment and decides what to do. Arms with fewer than two users
 * measured on a planned metric are not compared yet (keep running); throws on a bad plan or
 * data that do not match it.
 */
export function decideExperiment(data: ExperimentData, plan: ExperimentPlan): ExperimentAnalysis {
  const resolved = resolvePlan(plan)
  const arms = orderArms(plan, data)
  const total = arms.reduce((sum, a) => sum + a.users, 0)
  const srm =
    total > 0
      ? sampleRatioMismatch(
          arms.map((a) => a.users),
          arms.map((a) => plan.allocation[a.variant] as number),
          resolved.srmAlpha,
        )
      : null
  if (srm?.mismatch === true)
    return {
      decision: { outcome: 'invalid', reasons: [srmReason(arms, srm)] },
      srm,
      treatments: [],
    }
  const thin = thinArms(resolved, arms)
  if (thin.length > 0) {
    const decision: ExperimentDecision =
      data.days >= resolved.plannedDays
        ? { outcome: 'no-winner', reasons: thin.map((m) => `at the planned end: ${m}`) }
        : { outcome: 'keep-running', missing: thin }
    return { decision, srm, treatments: [] }
  }
  const [control, ...rest] = arms as [ArmData, ...ArmData[]]
  const treatments = compareTreatments(resolved, control, rest)
  return { decision: decide(resolved, arms, data.days, treatments), srm, treatments }
}

/** Arms whose planned metrics have fewer than two users measured: nothing to compare yet. */
function thinArms(plan: ResolvedPlan, arms: readonly ArmData[]): string[] {
  const metrics = [plan.primary, ...(plan.guardrails ?? [])].map((m) => m.name)
  return arms.flatMap((arm) =>
    metrics
      .filter((name) => (arm.metrics[name]?.count ?? 0) < 2)
      .map(
        (name) =>
          `at least 2 users with ${name} in '${arm.variant}' (has ${arm.metrics[name]?.count ?? 0})`,
      ),
  )
}

function srmReason(arms: readonly ArmData[], srm: SrmCheck): string {
  const { expected, pValue: p } = srm
  const delivered = arms
    .map((a, i) => `${a.variant} ${a.users} (planned ${Math.round(expected[i] as number)})`)
    .join(', ')
  return `sample ratio mismatch: ${delivered}, chi-square p = ${p.toExponential(2)}; check assignment and exposure logging before reading any metric`
}

function compareTreatments(
  plan: ResolvedPlan,
  control: ArmData,
  treatments: readonly ArmData[],
): TreatmentResult[] {
  const primaries = treatments.map((t) => comparePrimary(plan.primary, t, control, plan.alpha))
  const adjusted = holm(primaries.map((p) => p.test.pValue))
  return treatments.map((t, i) => {
    const primary = primaries[i] as (typeof primaries)[number]
    const adjustedP = adjusted[i] as number
    const better =
      plan.primary.better === 'higher' ? primary.test.estimate > 0 : primary.test.estimate < 0
    const significant = adjustedP <= plan.alpha
    const verdict = !significant ? 'unclear' : better ? 'better' : 'worse'
    const mde =
      primary.test.variance > 0
        ? alwaysValidMde(
            primary.test.variance,
            plan.primary.effect,
            plan.alpha,
            plan.power,
            primaryAlternative(plan.primary),
          )
        : Infinity
    return {
      variant: t.variant,
      primary: { ...primary, adjustedP, verdict, mde },
      guardrails: guardrailsOf(plan, t, control),
    }
  })
}

function guardrailsOf(
  plan: ResolvedPlan,
  treatment: ArmData,
  control: ArmData,
): TreatmentResult['guardrails'] {
  const tests = (plan.guardrails ?? []).map((g) =>
    compareGuardrail(g, treatment, control, plan.guardrailAlpha),
  )
  const adjusted = holm(tests.map((g) => g.test.pValue))
  return tests.map((g, i) => ({
    ...g,
    adjustedP: adjusted[i] as number,
    pass: (adjusted[i] as number) <= plan.guardrailAlpha,
  }))
}

function decide(
  plan: ResolvedPlan,
  arms: readonly ArmData[],
  days: number,
  treatments: readonly TreatmentResult[],
): ExperimentDecision {
  const missing = readiness(plan, arms, days)
  const candidates = treatments.filter(
    (t) => t.primary.verdict === 'better' && t.guardrails.every((g) => g.pass),
  )
  const best = candidates.sort((a, b) => gain(plan, b) - gain(plan, a))[0]
  if (best !== undefined && missing.length === 0)
    return { outcome: 'winner', variant: best.variant }
  const atEnd = days >= plan.plannedDays
  if (!atEnd)
    return { outcome: 'keep-running', missing: [...missing, ...evidenceMissing(treatments)] }
  if (missing.length > 0)
    return { outcome: 'no-winner', reasons: missing.map((m) => `at the planned end: ${m}`) }
  if (treatments.every((t) => t.primary.verdict === 'unclear'))
    return {
      outcome: 'no-detectable-difference',
      mde: Object.fromEntries(treatments.map((t) => [t.variant, t.primary.mde])),
    }
  return { outcome: 'no-winner', reasons: evidenceMissing(treatments) }
}

/** The improvement of a treatment's primary metric, positive when better. */
function gain(plan: ResolvedPlan, t: TreatmentResult): number {
  return plan.primary.better === 'higher' ? t.primary.test.estimate : -t.primary.test.estimate
}

/** What the sample still lacks: minimum users per arm and minimum days. */
function readiness(plan: ResolvedPlan, arms: readonly ArmData[], days: number): string[] {
  const missing = arms
    .filter((a) => a.users < plan.minUsersPerArm)
    .map(
      (a) =>
        `${plan.minUsersPerArm - a.users} more users in '${a.variant}' (minimum ${plan.minUsersPerArm})`,
    )
  if (days < plan.minDays)
    missing.push(`${plan.minDays - days} more day(s) (minimum ${plan.minDays})`)
  return missing
}

/** Per treatment, the evidence a win still needs. */
function evidenceMissing(treatments: readonly TreatmentResult[]): string[] {
  return treatments.flatMap((t) => {
    const out: string[] = []
    if (t.primary.verdict === 'unclear')
      out.push(
        `'${t.variant}': ${t.primary.metric} not yet significantly different (always-valid p = ${t.primary.adjustedP.toPrecision(3)})`,
      )
    if (t.primary.verdict === 'worse')
      out.push(`'${t.variant}': ${t.primary.metric} is significantly worse than control`)
    for (const g of t.guardrails.filter((x) => !x.pass))
      out.push(
        `'${t.variant}': guardrail ${g.metric} not yet shown within its margin (p = ${g.adjustedP.toPrecision(3)})`,
      )
    return out
  })
}
