import type { ProviderErrorKind, ToolCall } from './provider.js'
import type { JudgeUsage } from './assertion.js'
import type { Usage } from './usage.js'

/** Lifecycle of a run: `running` until it ends one of the other three ways. */
export type RunStatus = 'running' | 'completed' | 'interrupted' | 'failed'

/** A point estimate with its confidence interval. */
export interface Estimate {
  readonly value: number
  readonly lower: number
  readonly upper: number
  /** Confidence level of the interval, e.g. 0.95. */
  readonly level: number
}

/** One assertion's outcome on one sample. */
export interface AssertionGrade {
  readonly type: string
  readonly pass: boolean
  readonly score: number
  readonly reason: string
  readonly weight: number
  readonly metric?: string
  /** The measure on its own scale (g-eval 1–10, cosine similarity), when it has one. */
  readonly value?: number
  /** The range `value` lies in (default 0–1). */
  readonly scale?: { readonly min: number; readonly max: number }
  /** The check could not decide: the sample is an error. */
  readonly error?: boolean
  /** What its judge calls cost (model-graded checks). */
  readonly judge?: JudgeUsage
}

/** Where a case was declared. */
export interface SourceLocation {
  readonly file: string
  readonly line: number
  readonly column?: number
}

/** The failure of a sample that got no usable answer from its provider. */
export interface SampleError {
  readonly kind: ProviderErrorKind | 'render' | 'assertion' | 'internal'
  readonly message: string
  /** What to do about it, when the provider said (not kept in the store). */
  readonly hint?: string
}

/** One sample: one provider call on one case, graded. */
export interface SampleResult {
  readonly suite: string
  readonly caseId: string
  /** 0-based repeat index. */
  readonly sample: number
  /** `null` when the call failed. */
  readonly output: string | null
  readonly pass: boolean
  readonly score: number
  readonly grades: readonly AssertionGrade[]
  readonly usage: Usage | null
  /** `null` when unknown (an unpriced model or no usage): never counted as 0. */
  readonly costUsd: number | null
  readonly latencyMs: number | null
  readonly error: SampleError | null
  /** Provider calls made, retries included. */
  readonly attempts: number
  readonly cached: boolean
  /** Copied from the baseline run (`--reuse-baseline`) instead of run again. */
  readonly reused?: boolean
  /** The answer's tool calls, when it made any. */
  readonly toolCalls?: readonly ToolCall[]
  /** Every tool call of a multi-step run, when the system reported its steps. */
  readonly trajectory?: readonly ToolCall[]
}

/** What a case is, independent of its samples. */
export interface CaseInfo {
  readonly id: string
  readonly description?: string
  readonly vars: Readonly<Record<string, unknown>>
  readonly tags: readonly string[]
  readonly source?: SourceLocation
  /**
   * Hash of what the case's result depends on: the prompt version, the provider and judge
   * config, the vars and the assertions. Equal fingerprints may reuse each other's results.
   */
  readonly fingerprint?: string
}

/** A case with its samples. */
export interface CaseResult extends CaseInfo {
  readonly samples: readonly SampleResult[]
  /** Share of samples that passed. */
  readonly passRate: number
  /** Whether the case passes under its suite's `casePass` rule. */
  readonly pass: boolean
  /** Some samples passed and some did not. */
  readonly flaky: boolean
}

/** Aggregates of one suite. */
export interface SuiteStats {
  readonly cases: number
  readonly samples: number
  readonly passed: number
  readonly failed: number
  readonly errors: number
  /** Share of samples that passed, with its 95% interval (clustered by case when repeated). */
  readonly passRate: Estimate
  /** Mean sample score, with its 95% interval. */
  readonly score: Estimate
  readonly latencyMs: {
    readonly p50: number | null
    readonly p95: number | null
    readonly mean: number | null
  }
  readonly usage: Usage
  readonly costUsd: {
    /** Sum over priced samples; `null` when no sample had a price. */
    readonly total: number | null
    readonly perCase: number | null
    /** Samples whose cost is unknown. */
    readonly unpriced: number
    /** The part of `total` priced on replayed answers: recorded usage, no money spent. */
    readonly replayed: number
  }
  /** Samples copied from the baseline (`--reuse-baseline`), not run. */
  readonly reused: number
  /** Samples whose answer was replayed from a cassette (`cached`): nothing was spent on them. */
  readonly replayed: number
  /** Cases that passed under the suite's `casePass` rule. */
  readonly casesPassed: number
  /** Cases with mixed outcomes over their samples. */
  readonly flaky: number
  /**
   * With repeats: the chance that at least one of k samples passes (pass@k) and that all k do
   * (pass^k), unbiased per case from its n samples, averaged over cases with their intervals.
   */
  readonly passAtK: PassAtK | null
  /** Mean of each named measure (an assertion's `metric`, or a judge type) with its interval. */
  readonly metrics: Readonly<Record<string, MetricStats>>
  /** Judge calls of the model-graded checks, apart from the system under test. */
  readonly judge: JudgeStats
}

/** pass@k and pass^k of a suite. */
export interface PassAtK {
  readonly k: number
  readonly passAtK: Estimate
  readonly passHatK: Estimate
}

/** A named measure over a suite's samples. */
export interface MetricStats {
  /** Mean on the measure's own scale (g-eval 1–10, cosine, or the 0–1 score). */
  readonly mean: Estimate
  /** Share of its checks that passed. */
  readonly passRate: number
  /** Samples graded on it. */
  readonly samples: number
}

/** Judge bookkeeping of a suite. */
export interface JudgeStats {
  readonly calls: number
  readonly usage: Usage
  /** `null` when no judge call had a price. */
  readonly costUsd: number | null
  /** Judge calls whose cost is unknown. */
  readonly unpriced: number
}

/** What a suite ran with. */
export interface SuiteInfo {
  /** The suite's name; for a variant of a suite, `suite[variant]` ({@link variantSuiteName}). */
  readonly name: string
  /** Set when this is one variant of a suite with `variants` or a `matrix` (docs/ab.md). */
  readonly variant?: SuiteVariant
  readonly provider: { readonly name: string; readonly id: string }
  readonly prompt: { readonly name: string; readonly version: string }
  /** Minimum pass rate. */
  readonly threshold: number
  readonly repeat: number
  /** When a case passes: every sample, a majority, or at least this share of them. */
  readonly casePass: CasePassRule
  /** The k of pass@k and pass^k (default: `repeat`). */
  readonly k: number
}

/** Which variant of which configured suite a run's suite is. */
export interface SuiteVariant {
  /** The suite's name in the config. */
  readonly suite: string
  /** The variant's name: a `variants` key, or `prompt@provider` of a `matrix`. */
  readonly name: string
}

/** The run's name of one variant of a suite: `support[v2]`. Brackets never occur in config names. */
export function variantSuiteName(suite: string, variant: string): string {
  return `${suite}[${variant}]`
}

/** When a case with repeated samples passes. */
export type CasePassRule = 'all' | 'majority' | number

/** One suite of a run. */
export interface SuiteResult extends SuiteInfo {
  readonly stats: SuiteStats
  /** Pass rate at or above the threshold (and, when interrupted, nothing is claimed). */
  readonly pass: boolean
  readonly cases: readonly CaseResult[]
}

/** Git state of the working tree a run was made from. */
export interface GitInfo {
  readonly commit: string | null
  readonly branch: string | null
  readonly dirty: boolean
}

/** Run metadata. */
export interface RunInfo {
  readonly id: string
  readonly status: RunStatus
  readonly startedAt: string
  readonly finishedAt: string | null
  readonly git: GitInfo | null
  readonly configHash: string
  readonly shipgateVersion: string
  /** Set when the run was one shard of a sharded eval (`shipgate eval --shard i/n`). */
  readonly shard?: Shard
  /**
   * Set on a run that `count` shard processes wrote together (`shipgate eval --shard i/n
   * --run-id ID`): the whole run, not a shard of it.
   */
  readonly shards?: number
  /**
   * Set when the run kept only some cases of its suites and tags (`shipgate eval --case,
   * --filter, --first, --sample, --rerun-failed`): a partial run, not a full baseline.
   */
  readonly selection?: RunSelection
}

/** How a partial run narrowed its suites' cases, as recorded in its results. */
export interface RunSelection {
  /** `--case` values: ids or `suite/id`. */
  readonly cases?: readonly string[]
  /** `--filter`: the regular expression matched against ids and descriptions. */
  readonly filter?: string
  /** `--sample`: this many random cases of each suite, drawn from `seed`. */
  readonly sample?: number
  readonly seed?: number
  /** `--first`: the first this many cases of each suite. */
  readonly first?: number
  /** `--rerun-failed`: the run (id) whose failed and errored cases were run again. */
  readonly rerunOf?: string
  /** Cases kept, and how many the suites and tags held before narrowing. */
  readonly kept: number
  readonly of: number
}

/** Which part of a sharded eval a run is: shard `index` (1-based) of `count`. */
export interface Shard {
  readonly index: number
  readonly count: number
}

/** The results file (`shipgate eval -o results.json`): one JSON document per run. */
export interface ResultsDocument {
  readonly schemaVersion: 1
  readonly run: RunInfo
  readonly summary: {
    readonly suites: number
    readonly cases: number
    readonly samples: number
    readonly passed: number
    readonly failed: number
    readonly errors: number
    readonly costUsd: number | null
    /** Samples copied from the baseline, not run (their cost is the baseline's). */
    readonly reused?: number
    /**
     * Present when some answers were replayed from cassettes: how many samples, and the part of
     * `costUsd` priced on them (`null` when none was priced). Nothing was spent on that part.
     */
    readonly replayed?: { readonly samples: number; readonly costUsd: number | null }
    /** What the judges cost, apart from `costUsd`; `null` when nothing was priced. */
    readonly judgeCostUsd: number | null
    readonly durationMs: number | null
    /** Every suite passed and the run completed. */
    readonly pass: boolean
  }
  readonly suites: readonly SuiteResult[]
}
