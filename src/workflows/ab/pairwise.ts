/**
 * `shipgate ab --pairwise`: the config's judge compares A's and B's outputs of each paired case
 * in both orders, as the `pairwise` assertion does. With repeats, each variant's first sample is
 * judged. A failed judge call leaves its case out (counted); calls are limited in concurrency
 * and retried by the judge, as in a run.
 */
import { judgePair, preparePairwiseJudge, type PairVerdict } from '../../assertions/pairwise.js'
import { judgeUsage } from '../../assertions/judge.js'
import type { JudgeCallRecord } from '../../contracts/assertion.js'
import type { Logger } from '../../contracts/logger.js'
import type { CaseResult } from '../../contracts/results.js'
import type { LoadedConfig } from '../../config/load.js'
import { preferenceOf } from '../../core/ab/index.js'
import { usageError } from '../../errors.js'
import { openOfflineJudge } from '../eval/index.js'
import type { ComparedCase } from './sides.js'

/** What `--pairwise` was asked with. */
export interface PairwiseChoice {
  /** The standard to compare by, e.g. "more accurate and concise"; default the built-in one. */
  readonly criteria?: string
  /** A judge provider (a name under `providers`) over the config's `judge:`. */
  readonly judge?: string
}

/** The judging's outcome: each judged case's preference, and the bookkeeping. */
export interface JudgedPairs {
  /** `suite/case` → B's preference (1, 0.5 or 0); failed cases are absent. */
  readonly preferences: ReadonlyMap<string, number>
  readonly judge: string
  readonly failed: number
  readonly errors: readonly string[]
  readonly calls: number
  readonly costUsd: number | null
}

/** How many failure messages the report keeps. */
const ERRORS_KEPT = 3

/** Judges every paired case's first samples, A's and B's, in both orders. */
export async function judgePairs(
  cases: readonly ComparedCase[],
  loaded: LoadedConfig,
  options: PairwiseChoice & {
    env: Readonly<Record<string, string | undefined>>
    logger: Logger
    signal?: AbortSignal
  },
): Promise<JudgedPairs> {
  if (options.judge === undefined && loaded.config.judge === undefined) {
    throw usageError(
      '--pairwise needs a judge',
      'set `judge: PROVIDER` in shipgate.yaml (as model-graded assertions use), or pass --judge PROVIDER',
    )
  }
  const offline = openOfflineJudge(loaded, options)
  try {
    const prepared = await preparePairwiseJudge(
      { type: 'pairwise', ...(options.judge === undefined ? {} : { provider: options.judge }) },
      offline.context,
    )
    await offline.start()
    const criteria = options.criteria ?? ''
    const verdicts = await Promise.all(
      cases.map((c) => judgePair(prepared, promptVars(c.b, criteria), output(c.a), output(c.b))),
    )
    return tally(cases, verdicts, prepared.judge.id, (calls) => judgeUsage(prepared.judge, calls))
  } finally {
    await offline.close()
  }
}

function tally(
  cases: readonly ComparedCase[],
  verdicts: readonly PairVerdict[],
  judge: string,
  usage: (calls: readonly JudgeCallRecord[]) => { calls: number; costUsd: number | null },
): JudgedPairs {
  const preferences = new Map<string, number>()
  const errors: string[] = []
  verdicts.forEach((v, i) => {
    if (v.ok) {
      // A was shown first in the first order: `second` is B.
      const side = v.winner === 'second' ? 'b' : v.winner === 'first' ? 'a' : 'tie'
      preferences.set(cases[i]!.id, preferenceOf(side))
    } else errors.push(`${cases[i]!.id}: ${v.message}`)
  })
  const total = usage(verdicts.flatMap((v) => v.calls))
  return {
    preferences,
    judge,
    failed: errors.length,
    errors: errors.slice(0, ERRORS_KEPT),
    calls: total.calls,
    costUsd: total.costUsd,
  }
}

/** A variant's first sample's output; a failed call's is empty. */
function output(c: CaseResult): string {
  return c.samples[0]?.output ?? ''
}

/**
 * The judge prompt's variables besides `a` and `b`: the case's `vars`, `input` made of them (the
 * rendered prompt is not kept in results, and the variants' prompts may differ), B's output as
 * `output` (the one under test, as in the assertion) and the `criteria`.
 */
function promptVars(c: CaseResult, criteria: string): Record<string, unknown> {
  const entries = Object.entries(c.vars)
  const only = entries.length === 1 ? entries[0]![1] : undefined
  const input =
    typeof only === 'string'
      ? only
      : entries.map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('\n')
  return { input, output: output(c), vars: c.vars, criteria }
}
