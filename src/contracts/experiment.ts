/**
 * `shipgate experiment analyze|list|import|collect`: online experiments read from the store
 * (docs/experiments.md). The reports the CLI renders and `--json` prints.
 */

/** One metric of a treatment against control (treatment − control) at this look. */
export interface ExperimentComparisonView {
  readonly metric: string
  readonly control: number
  readonly treatment: number
  /** Treatment − control. */
  readonly difference: number
  /** The always-valid confidence sequence of the difference at 1 − alpha (may be ±Infinity one-sided). */
  readonly interval: { readonly lower: number; readonly upper: number }
  /** The always-valid p-value, before adjustment. */
  readonly pValue: number
  /** After Holm's adjustment within its family (treatments, or a treatment's guardrails). */
  readonly adjustedP: number
  /** The fixed-sample test's p-value: shown, never decided on. */
  readonly fixedSampleP: number
}

/** A treatment's comparisons with control. */
export interface ExperimentTreatmentView {
  readonly variant: string
  readonly primary: ExperimentComparisonView & {
    readonly verdict: 'better' | 'worse' | 'unclear'
    /** The smallest absolute difference detectable at the plan's power with this look's variance. */
    readonly mde: number
  }
  readonly guardrails: readonly (ExperimentComparisonView & {
    readonly margin: number
    readonly relative: boolean
    readonly pass: boolean
  })[]
}

/** What to do with the experiment now: the decision of `decideExperiment` (core/experiment). */
export type ExperimentDecisionView =
  | { readonly outcome: 'winner'; readonly variant: string }
  | { readonly outcome: 'keep-running'; readonly missing: readonly string[] }
  | {
      readonly outcome: 'no-detectable-difference'
      /** Per treatment, the minimum detectable effect at the sample reached. */
      readonly mde: Readonly<Record<string, number>>
    }
  | { readonly outcome: 'no-winner'; readonly reasons: readonly string[] }
  | { readonly outcome: 'invalid'; readonly reasons: readonly string[] }

/** One arm: users delivered against the plan. */
export interface ExperimentArmView {
  readonly variant: string
  readonly users: number
  /** The planned share of users (the allocation, normalized). */
  readonly planned: number
  /** Users expected under the plan, given the users delivered in all arms. */
  readonly expected: number
}

/** The sample-ratio-mismatch check (chi-square goodness of fit). */
export interface ExperimentSrmView {
  readonly statistic: number
  readonly df: number
  readonly pValue: number
  readonly mismatch: boolean
}

/** `shipgate experiment analyze NAME`. */
export interface ExperimentReport {
  readonly experiment: string
  readonly flag: string
  readonly control: string
  /** The look: events before this time were read (ISO). */
  readonly asOf: string
  /** The first exposure's time; null before any. */
  readonly started: string | null
  /** Days from the first exposure to `asOf`. */
  readonly days: number
  readonly plannedDays: number
  readonly minDays: number
  readonly minUsersPerArm: number
  readonly alpha: number
  /** The primary metric's name, kind, direction and the effect the plan asks for. */
  readonly primary: {
    readonly metric: string
    readonly kind: 'proportion' | 'mean' | 'ratio'
    readonly better: 'higher' | 'lower'
    readonly effect: number
  }
  readonly decision: ExperimentDecisionView
  readonly srm: ExperimentSrmView | null
  readonly arms: readonly ExperimentArmView[]
  readonly treatments: readonly ExperimentTreatmentView[]
  /** Users left out of every arm, and why. */
  readonly excluded: {
    /** Exposed to more than one variant. */
    readonly crossed: number
    /** First exposed to a variant the allocation does not name, by variant. */
    readonly unplanned: Readonly<Record<string, number>>
    /** With outcome events but never exposed. */
    readonly unexposed: number
  }
  /** Events read, by type. */
  readonly events: { readonly exposures: number; readonly outcomes: number }
}

/** `shipgate experiment list`: an experiment of the config or the store, and what is stored. */
export interface ExperimentListEntry {
  readonly experiment: string
  /** Whether shipgate.yaml `experiments:` has it. */
  readonly configured: boolean
  readonly flag: string | null
  /** The planned variants, control first; empty when not configured. */
  readonly variants: readonly string[]
  readonly exposures: number
  readonly outcomes: number
  readonly samples: number
  /** The first and last event's time; null without events. */
  readonly first: string | null
  readonly last: string | null
}

/** `shipgate experiment import FILE`. */
export interface ExperimentImportReport {
  readonly file: string
  /** Events in the file (after `--experiment`'s filter). */
  readonly events: number
  readonly stored: number
  /** Already in the store (same id): importing a file twice stores nothing new. */
  readonly duplicates: number
  /** Events of other experiments than `--experiment`, not imported. */
  readonly skipped: number
  /** The experiments the imported events belong to. */
  readonly experiments: readonly string[]
}
