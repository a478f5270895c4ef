import type { SampleResult, Shard, SuiteInfo } from '../../contracts/results.js'
import type { StoredCase } from '../../contracts/store.js'
import { canonicalJson, sha256 } from '../../utils/hash.js'

/**
 * The shard (1-based, of `count`) a case belongs to: a stable hash of its suite and id, so a
 * case's shard never depends on the other cases, their order, or the machine that asks.
 */
export function shardOf(suite: string, caseId: string, count: number): number {
  const hash = Number.parseInt(sha256(`${suite}\u0000${caseId}`).slice(0, 8), 16)
  return (hash % count) + 1
}

/** Whether the case `suite`/`caseId` runs in `shard`; every case does when there is none. */
export function inShard(shard: Shard | undefined, suite: string, caseId: string): boolean {
  return shard === undefined || shardOf(suite, caseId, shard.count) === shard.index
}

/** Parses `i/n` with 1 ≤ i ≤ n; `undefined` when the text is not such a pair. */
export function parseShard(text: string): Shard | undefined {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text)
  if (match === null) return undefined
  const index = Number(match[1])
  const count = Number(match[2])
  if (!Number.isSafeInteger(count) || index < 1 || index > count) return undefined
  return { index, count }
}

/** `i/n`, as the flag takes it. */
export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`
}

/**
 * What a run plans, as a hash: its suites as they run and each case's suite, id and
 * fingerprint. Shards that write one run together must plan alike: another config, `--suite`,
 * `--tag` or `--repeat` gives another hash.
 */
export function planHash(suites: readonly SuiteInfo[], cases: readonly StoredCase[]): string {
  const planned = cases.map((c) => [c.suite, c.id, c.fingerprint ?? null])
  return sha256(canonicalJson({ suites, cases: planned }))
}

/** The samples of `stored` that `shard` made, keyed for a run to skip them. */
export function shardSamples(
  stored: readonly SampleResult[],
  shard: Shard,
): {
  readonly samples: SampleResult[]
  readonly has: (suite: string, caseId: string, sample: number) => boolean
} {
  const samples = stored.filter((s) => inShard(shard, s.suite, s.caseId))
  const keys = new Set(samples.map((s) => sampleKey(s.suite, s.caseId, s.sample)))
  return { samples, has: (suite, caseId, sample) => keys.has(sampleKey(suite, caseId, sample)) }
}

function sampleKey(suite: string, caseId: string, sample: number): string {
  return `${suite}\u0000${caseId}\u0000${sample}`
}
