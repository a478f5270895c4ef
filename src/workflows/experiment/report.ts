/** The core's analysis of one look, as the report `experiment analyze` prints. */
import type {
  ExperimentComparisonView,
  ExperimentReport,
  ExperimentTreatmentView,
} from '../../contracts/experiment.js'
import type { ExperimentConfig } from '../../config/experiment-schema.js'
import type {
  ExperimentAnalysis,
  MetricComparison,
  TreatmentResult,
} from '../../core/experiment/index.js'
import type { Aggregation } from './aggregate.js'

/** What a report is made of. */
export interface ReportInput {
  readonly name: string
  readonly experiment: ExperimentConfig
  readonly aggregation: Aggregation
  readonly analysis: ExperimentAnalysis
  readonly asOf: string
  readonly days: number
}

/** The report of one look. */
export function reportOf(input: ReportInput): ExperimentReport {
  const { name, experiment, aggregation, analysis, asOf, days } = input
  const { primary } = experiment
  const metric = experiment.metrics[primary.metric]
  const weight = Object.values(experiment.allocation).reduce((a, b) => a + b, 0)
  const total = aggregation.arms.reduce((sum, a) => sum + a.users, 0)
  const srm = analysis.srm
  return {
    experiment: name,
    flag: experiment.flag,
    control: experiment.control,
    asOf,
    started: aggregation.firstExposure,
    days,
    plannedDays: experiment.plannedDays,
    minDays: experiment.minDays,
    minUsersPerArm: experiment.minUsersPerArm,
    alpha: experiment.alpha,
    primary: {
      metric: primary.metric,
      kind: metric?.kind ?? 'proportion',
      better: metric?.better ?? 'higher',
      effect: primary.effect,
    },
    decision: analysis.decision,
    srm:
      srm === null
        ? null
        : { statistic: srm.statistic, df: srm.df, pValue: srm.pValue, mismatch: srm.mismatch },
    arms: aggregation.arms.map((arm) => {
      const planned = (experiment.allocation[arm.variant] ?? 0) / weight
      return { variant: arm.variant, users: arm.users, planned, expected: planned * total }
    }),
    treatments: analysis.treatments.map((t) => treatmentView(experiment, t)),
    excluded: {
      crossed: aggregation.crossed,
      unplanned: aggregation.unplanned,
      unexposed: aggregation.unexposed,
    },
    events: aggregation.events,
  }
}

function treatmentView(experiment: ExperimentConfig, t: TreatmentResult): ExperimentTreatmentView {
  return {
    variant: t.variant,
    primary: { ...comparison(t.primary), verdict: t.primary.verdict, mde: t.primary.mde },
    guardrails: t.guardrails.map((g) => ({
      ...comparison(g),
      margin: g.margin,
      relative: experiment.guardrails.find((c) => c.metric === g.metric)?.relative ?? true,
      pass: g.pass,
    })),
  }
}

/**
 * One comparison. A guardrail's test is of T − (1 ± m)·C, so the difference and interval shown
 * are of T − C: the test's interval shifted back by the margin's part.
 */
function comparison(c: MetricComparison): ExperimentComparisonView {
  const difference = c.treatment - c.control
  const shift = difference - c.test.estimate
  return {
    metric: c.metric,
    control: c.control,
    treatment: c.treatment,
    difference,
    interval: { lower: c.test.lower + shift, upper: c.test.upper + shift },
    pValue: c.test.pValue,
    adjustedP: c.adjustedP,
    fixedSampleP: c.fixedSampleP,
  }
}
