/**
 * What `shipgate experiment judge|start|ship|stop` report: the grading of an online
 * experiment's sampled responses, and the changes to its flag (docs/experiments.md).
 */
import type { FlagDefinition } from '@shipgate/runtime/flags'
import type { FlagChange } from './flags.js'
import type { Usage } from './usage.js'

/** One variant's grades from this run and earlier ones. */
export interface VariantJudgeScores {
  readonly variant: string
  /** Samples of the variant graded so far (this run and before). */
  readonly graded: number
  /** Mean 0–1 score of those; `null` when none is graded. */
  readonly meanScore: number | null
}

/** A sample the judge could not grade this time (left for the next run). */
export interface JudgeFailure {
  /** The sample event's id. */
  readonly sample: string
  readonly variant: string
  readonly message: string
}

/** `experiment judge`: what was graded and what it cost. */
export interface ExperimentJudgeReport {
  readonly experiment: string
  /** The outcome event name the grades were recorded under (`judge.metric`). */
  readonly metric: string
  /** `type:model` of the judge. */
  readonly judge: string
  /** Sample events in the store. */
  readonly samples: number
  /** Graded and recorded by this run. */
  readonly graded: number
  /** Already graded by an earlier run (an outcome with the derived id exists). */
  readonly skipped: number
  /** The judge failed or answered malformed: nothing recorded, graded by a later run. */
  readonly failed: number
  /** Not attempted because of `--limit`. */
  readonly remaining: number
  /** Judge calls made, retries included. */
  readonly calls: number
  readonly usage: Usage | null
  /** USD of the calls; `null` when one had no price. */
  readonly costUsd: number | null
  /** Per variant in the allocation's order, over every grade stored (this run and before). */
  readonly variants: readonly VariantJudgeScores[]
  /** The first failures, for the log. */
  readonly failures: readonly JudgeFailure[]
}

/** Which flag operation of an experiment. */
export type ExperimentFlagAction = 'start' | 'ship' | 'stop'

/** A share of the users with a targetingKey whose variant a change moves. */
export interface MovedUsers {
  readonly from: string
  readonly to: string
  /** Percent of users, two decimals. */
  readonly percent: number
}

/** A release recorded by `experiment ship`. */
export interface ShippedRelease {
  readonly id: string
  readonly name: string | null
  /** `exists` when the same content was recorded before. */
  readonly status: 'created' | 'exists'
  /** `PROMPT_VERSION` etc. taken from the shipped variant's value, when it is a release value. */
  readonly env: Readonly<Record<string, string>>
}

/** `experiment start|ship|stop`: the flag before and after, and who it moved. */
export interface ExperimentFlagResult {
  readonly experiment: string
  readonly action: ExperimentFlagAction
  readonly flag: string
  /** The flag file. */
  readonly file: string
  /** Its history file, where the changes were recorded. */
  readonly history: string
  /** Nothing was written: the changes are what would be made. */
  readonly dryRun: boolean
  /** The flag's definition before and after (the same when nothing changes). */
  readonly before: FlagDefinition
  readonly after: FlagDefinition
  /**
   * The history lines written (with `dryRun`, that would be written), oldest first; empty when
   * the flag already was as asked.
   */
  readonly changes: readonly FlagChange[]
  /** Users with a targetingKey whose variant changes; `null` when custom targeting hides it. */
  readonly moved: readonly MovedUsers[] | null
  /** `start --force` moved users off a variant they had seen. */
  readonly forced: boolean
  /** The release `ship` recorded; `null` for start, stop, a dry run or no change. */
  readonly release: ShippedRelease | null
}
