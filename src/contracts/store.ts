import type { ExperimentEvent } from '@shipgate/runtime/experiments'
import type { ControlRequest, Deployment, DeploymentStatus } from './deploy.js'
import type { ReleaseManifest } from './release.js'
import type {
  CaseInfo,
  ResultsDocument,
  RunInfo,
  RunStatus,
  SampleResult,
  Shard,
  SuiteInfo,
} from './results.js'

/** A run as the store keeps it: metadata, the suites it planned and, once ended, its summary. */
export interface StoredRun extends RunInfo {
  readonly suites: readonly SuiteInfo[]
  /** The process running it, so a run left `running` by a crash can be told and recovered. */
  readonly owner: RunOwner | null
  /** Set when the run ended (completed, interrupted or failed). */
  readonly summary: ResultsDocument['summary'] | null
}

/** The host and process of a run. */
export interface RunOwner {
  readonly host: string
  readonly pid: number
}

/** A run about to start. */
export type NewRun = Omit<StoredRun, 'status' | 'finishedAt' | 'summary'>

/** A planned case of a run, with the suite it belongs to. */
export interface StoredCase extends CaseInfo {
  readonly suite: string
}

/** How a run ended. */
export interface RunEnd {
  readonly status: Exclude<RunStatus, 'running'>
  readonly finishedAt: string
  readonly summary: ResultsDocument['summary']
}

/** A listing `limit` that takes every row (the bill, a store copy). */
export const EVERY_ROW = Number.MAX_SAFE_INTEGER

/** Filters for listing runs, newest first. */
export interface RunQuery {
  readonly limit?: number
  readonly status?: RunStatus
  readonly branch?: string
  /** Only runs that planned this suite, or a variant of it (`suite[variant]`). */
  readonly suite?: string
  /** Only runs started at or after this ISO time. */
  readonly since?: string
  /** Only runs started before this ISO time. */
  readonly until?: string
  /** Keyset paging: only runs after this one in the newest-first order (older ones). */
  readonly olderThan?: RunCursor
  /** Keyset paging: only runs before this one in the newest-first order, still newest first. */
  readonly newerThan?: RunCursor
}

/** A run's place in the newest-first order (start time, then id), for paging through runs. */
export interface RunCursor {
  readonly startedAt: string
  readonly id: string
}

/** Which runs {@link RunRepository.prune} deletes. */
export interface PruneRule {
  /** Runs started before this ISO time go, but for the newest completed run of each branch. */
  readonly startedBefore: string
  /** Report what would go without deleting anything. */
  readonly dryRun?: boolean
}

/**
 * A shard process joining a run that several write together (`shipgate eval --shard i/n
 * --run-id ID`). `run` and `cases` are the whole run's (every shard plans every case), and
 * `planHash` says what was planned, so a shard of another selection or config is refused.
 */
export interface ShardJoin {
  /** The whole run: its `shards` is the shard count, its owner null (the shards have owners). */
  readonly run: NewRun & { readonly shards: number }
  readonly shard: Shard
  readonly owner: RunOwner
  readonly cases: readonly StoredCase[]
  readonly planHash: string
}

/** One shard process's part of a run written by several. */
export interface StoredShard {
  readonly index: number
  readonly status: RunStatus
  readonly startedAt: string
  readonly finishedAt: string | null
  readonly owner: RunOwner | null
}

/** Why a shard may not join a run; the message names what differs. */
export interface ShardRefusal {
  readonly ok: false
  readonly reason:
    'ended' | 'different-plan' | 'different-count' | 'different-commit' | 'not-shared'
  readonly message: string
}

/** A provider batch a run submitted (`eval --batch`): what `eval --resume` collects instead of paying again. */
export interface StoredBatch {
  /** The provider's batch id (`batch_…`, `msgbatch_…`). */
  readonly id: string
  /** The provider's name in config. */
  readonly provider: string
  /** When it was submitted, ISO 8601. */
  readonly submittedAt: string
  /** The custom ids of its requests, in the order sent. */
  readonly requests: readonly string[]
}

/** What `shipgate store copy` did: per kind, how many were copied and how many the target had. */
export interface StoreCopyReport {
  readonly runs: { readonly copied: number; readonly kept: number }
  readonly releases: { readonly copied: number; readonly kept: number }
  readonly deployments: { readonly copied: number; readonly kept: number }
  readonly experimentEvents: { readonly copied: number; readonly kept: number }
}

/** What `shipgate runs prune` did. */
export interface PruneReport {
  /** The cut-off: runs started before it were candidates. */
  readonly startedBefore: string
  /** Deleted (or, on a dry run, to be deleted), oldest first. */
  readonly runs: readonly string[]
  readonly dryRun: boolean
}

/** Runs and their results. Every method that writes is one transaction. */
export interface RunRepository {
  /** Records a new run as `running` together with all its planned cases. */
  create(run: NewRun, cases: readonly StoredCase[]): Promise<void>
  /**
   * Appends a batch of finished samples; callers batch, this is one transaction per call: all
   * rows are written or none. Rejects a sample stored before or of a case `create` did not plan.
   * An empty batch is a no-op.
   */
  appendSamples(runId: string, samples: readonly SampleResult[]): Promise<void>
  /** Marks a running run as ended. Throws when the run is unknown or already ended. */
  finish(runId: string, end: RunEnd): Promise<void>
  get(runId: string): Promise<StoredRun | undefined>
  /** Resolves a full id, a unique id prefix, or `latest`; `undefined` when none or ambiguous. */
  resolveId(ref: string): Promise<string | undefined>
  list(query?: RunQuery): Promise<StoredRun[]>
  cases(runId: string): Promise<StoredCase[]>
  /** Samples in (suite, case, sample) insertion order. */
  samples(runId: string): Promise<SampleResult[]>
  /**
   * Deletes the runs `rule` selects, with their cases and samples, in one transaction, and
   * returns their ids (oldest first). Never a running run, nor the newest completed run of a
   * branch (a baseline).
   */
  prune(rule: PruneRule): Promise<string[]>
  /**
   * Joins a shard process to a run written by several, in one transaction: the first shard to
   * arrive records the run and every planned case; a later one must have planned the same
   * (plan hash, shard count and commit), else it is refused. The shard is marked running by
   * its owner whatever it was (a re-run takes over; callers check a live owner first), and the
   * shard's earlier record, if any, is returned.
   */
  joinShard(join: ShardJoin): Promise<{ ok: true; previous: StoredShard | null } | ShardRefusal>
  /**
   * Ends a shard of a run written by several, in one transaction that holds the run's row, so
   * of shards ending together exactly one learns that every shard has now completed
   * (`complete`); that one ends the run. Throws when the run is unknown or already ended.
   */
  finishShard(
    runId: string,
    index: number,
    end: { readonly status: Exclude<RunStatus, 'running'>; readonly finishedAt: string },
  ): Promise<{ complete: boolean }>
  /** The shards of a run written by several, by index; none for any other run. */
  shards(runId: string): Promise<StoredShard[]>
  /**
   * Records a batch the run submitted, in one transaction. The same batch id recorded again for
   * the run is left as is. Throws when the run is unknown.
   */
  addBatch(runId: string, batch: StoredBatch): Promise<void>
  /** The batches of a run, in the order they were added; none for an unknown run. */
  batches(runId: string): Promise<StoredBatch[]>
}

/** Release manifests (`shipgate release create`). */
export interface ReleaseRepository {
  /** Saves a manifest; a manifest with the same id already stored is left as is (`exists`). */
  save(manifest: ReleaseManifest): Promise<'created' | 'exists'>
  get(id: string): Promise<ReleaseManifest | undefined>
  /**
   * Resolves a full id, a unique id prefix, a release name (the newest release of that name),
   * or `latest`; `undefined` when none or ambiguous.
   */
  resolveId(ref: string): Promise<string | undefined>
  /** Newest first (by `createdAt`); 50 unless `limit` says otherwise. */
  list(query?: ReleaseQuery): Promise<ReleaseManifest[]>
}

/** Filters for listing releases. */
export interface ReleaseQuery {
  readonly limit?: number
}

/** What {@link DeploymentRepository.update} replaces; the other fields never change. */
export type DeploymentPatch = Pick<
  Deployment,
  'status' | 'steps' | 'finishedAt' | 'reason' | 'owner' | 'alerts'
>

/** Filters for listing deployments, newest first. */
export interface DeploymentQuery {
  readonly target?: string
  /** Only deployments of this release (its `releaseId`). */
  readonly releaseId?: string
  readonly status?: DeploymentStatus
  readonly limit?: number
}

/** Deployment records: one release to one target, with every step. */
export interface DeploymentRepository {
  /**
   * Records a new deployment as given (normally `running`). A `running` one is refused when the
   * target already has a running deployment, atomically: the database enforces it (a partial
   * unique index on target where status is running), so two concurrent deploys cannot both win.
   * Throws when the id already exists.
   */
  begin(deployment: Deployment): Promise<{ ok: true } | { ok: false; running: Deployment }>
  /**
   * Replaces status, steps, finishedAt, reason and owner of a deployment; one transaction.
   * Throws when the id is unknown, or when setting `running` would make a second running
   * deployment on the target.
   */
  update(id: string, patch: DeploymentPatch): Promise<void>
  get(id: string): Promise<Deployment | undefined>
  /** Newest first (by `startedAt`); 50 unless `limit` says otherwise. */
  list(query?: DeploymentQuery): Promise<Deployment[]>
  /**
   * Records a control request for the running deployment `id` (its canary acts on it at its
   * next look); a later request replaces an earlier one. Throws when the deployment is unknown
   * or not running.
   */
  requestControl(id: string, request: ControlRequest): Promise<void>
  /** The latest control request of deployment `id`; null when none. */
  control(id: string): Promise<ControlRequest | null>
}

/** Filters for reading an experiment's events, oldest first (by `at`, then id). */
export interface ExperimentEventQuery {
  readonly types?: readonly ExperimentEvent['type'][]
  /** Only events at or after this ISO time. */
  readonly since?: string
  /** Only events before this ISO time (an analysis "as of" a day). */
  readonly before?: string
}

/**
 * Online experiments' events (exposures, outcomes, sampled responses) from the SDK, by the
 * collector endpoint or a JSONL import. Append-only; an event whose id is stored is skipped.
 */
export interface ExperimentEventRepository {
  /** Stores the events in one transaction; counts those stored and those already there. */
  append(
    events: readonly ExperimentEvent[],
  ): Promise<{ readonly stored: number; readonly duplicates: number }>
  /** The experiment's events, oldest first, in pages so 10⁶ events never sit in one array. */
  read(experiment: string, query?: ExperimentEventQuery): AsyncIterable<ExperimentEvent>
  /** Experiments with events, by name, with how many of each type and the first and last time. */
  experiments(): Promise<readonly ExperimentEventSummary[]>
}

/** What the store holds of one experiment. */
export interface ExperimentEventSummary {
  readonly experiment: string
  readonly exposures: number
  readonly outcomes: number
  readonly samples: number
  readonly first: string
  readonly last: string
}

/** The persistent state of shipgate. One contract suite runs against every implementation. */
export interface Store {
  readonly runs: RunRepository
  /** Release manifests, content-addressed by id. */
  readonly releases: ReleaseRepository
  /** Deployment records; at most one running per target. */
  readonly deployments: DeploymentRepository
  /** Online experiments' events. */
  readonly experimentEvents: ExperimentEventRepository
  /** Applies pending migrations. Idempotent. */
  migrate(): Promise<void>
  close(): Promise<void>
}
