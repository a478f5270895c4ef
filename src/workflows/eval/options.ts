import type { Clock, Random } from '../../contracts/clock.js'
import type { Logger } from '../../contracts/logger.js'
import type { Reporter } from '../../contracts/reporter.js'
import type { ResultsDocument, Shard } from '../../contracts/results.js'
import type { Selection } from '../../contracts/select.js'
import type { StoreChoice } from '../project/index.js'
import type { BatchSettings } from './batch/index.js'
import type { CassetteChoice } from './cassettes.js'

/** Options of {@link evaluate}. */
export interface EvalOptions extends StoreChoice {
  readonly suites?: readonly string[]
  readonly tags?: readonly string[]
  /**
   * Only these variants of the suites with variants (`--variant`, repeatable); suites without
   * variants are then left out. A name no selected suite has is a usage error.
   */
  readonly variants?: readonly string[]
  readonly repeat?: number
  readonly concurrency?: number
  readonly reporters?: readonly Reporter[]
  /** Aborting it stops the run: nothing new starts, what finished is saved as `interrupted`. */
  readonly signal?: AbortSignal
  readonly logger: Logger
  readonly clock?: Clock
  readonly random?: Random
  /** `--provider NAME.KEY=VALUE` overrides. */
  readonly providerOverrides?: readonly string[]
  /** Record/replay mode and directory, over the config's `cassettes:`. */
  readonly cassettes?: CassetteChoice
  /** Run only this shard of the selected cases (`--shard i/n`); recorded in the run. */
  readonly shard?: Shard
  /**
   * With `shard`: write into the stored run of this id, which every shard of the eval writes
   * together (`--run-id`); it completes when every shard has. A shard run again resumes.
   */
  readonly runId?: string
  /**
   * Run only the suites that changes since this git ref affect (`--since`, as `shipgate
   * select`), within `suites` when given. When none is affected nothing runs: the outcome is
   * `skipped`.
   */
  readonly since?: string
  /** Told the selection `since` made, before anything runs. */
  readonly onSelection?: (selection: Selection) => void
  /**
   * Copy unchanged cases' results from the baseline in the store instead of running them again
   * (`--reuse-baseline`): `baseline` names it (default the config's `gate.baseline`).
   */
  readonly reuseBaseline?: boolean
  /** The baseline `reuseBaseline` copies from: a branch, a run id or a results file. */
  readonly baseline?: string
  /**
   * Copy unchanged cases' results from this baseline run instead of running them again, in the
   * suites `suites` lists (default all). Library callers that hold the baseline already.
   */
  readonly reuse?: { readonly baseline: ResultsDocument; readonly suites?: readonly string[] }
  /**
   * Only these cases (`--case`, repeatable): an id (in whichever suite has it) or `suite/id`.
   * An id no selected suite has is a usage error naming the closest ones.
   */
  readonly cases?: readonly string[]
  /** Only cases whose id, `suite/id` or description match this regular expression, any case. */
  readonly filter?: string
  /** The first this many cases of each suite, in file order, after the other narrowing. */
  readonly first?: number
  /** A uniform random sample of this many cases of each suite (`--sample`). */
  readonly sample?: number
  /** The number the sample is drawn from (`--seed`): the same one picks the same cases. */
  readonly seed?: number
  /**
   * Only the cases that failed or errored in a previous run (`--rerun-failed`): a run id or
   * prefix, a results file, or `true` for the latest run of the current branch. Cases that no
   * longer exist are warned about; when none failed nothing runs (the outcome is `skipped`).
   */
  readonly rerunFailed?: string | true
  /**
   * Send the calls of providers with a batch API (openai, anthropic; judges included) through
   * it (`--batch`): half the price, answers within a day. `true`, or settings over the defaults
   * (how long to gather calls before submitting, how often to poll).
   */
  readonly batch?: boolean | Partial<BatchSettings>
  /**
   * Continue an earlier run (`--resume RUN`: an id, a prefix or `latest`) that a stop or a killed
   * process cut short: its samples that finished without error are kept, the batches it
   * submitted are collected instead of submitted again (so `batch` is implied when it has any),
   * and the rest runs. The result is a new run.
   */
  readonly resume?: string
}

/** How an eval that ran ended, for the caller to turn into an exit code. */
export type EvalOutcome = 'passed' | 'failed' | 'interrupted'

/** The outcome and the full results of a run. */
export interface EvalResult {
  readonly outcome: EvalOutcome
  readonly results: ResultsDocument
  /** What `since` selected, when given. */
  readonly selection?: Selection
}

/** An eval that did not run: `since` selected no suite, or `rerunFailed` found no failure. */
export interface SkippedEval {
  readonly outcome: 'skipped'
  readonly reason: string
  /** What `since` selected, when it was given. */
  readonly selection?: Selection
}
