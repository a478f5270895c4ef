import type { Check } from '../../contracts/assertion.js'
import type { ChatMessage, ToolSpec } from '../../contracts/provider.js'
import type { CaseInfo, Shard, SuiteInfo } from '../../contracts/results.js'
import type { StoredCase } from '../../contracts/store.js'
import { canonicalJson, sha256 } from '../../utils/hash.js'
import { caseKey } from './select-cases.js'
import { inShard } from './shard.js'

/*
 * The plan of a run and the planner's decisions that need no I/O: which cases a filter and a
 * shard keep, case ids, tags, shapes. workflows/eval/plan.ts reads the config and prepares
 * assertions, and builds the plan with these.
 */

/** A prepared assertion of a case. */
export interface PlannedCheck {
  readonly type: string
  /** Share of the case score; 0 is informational (reported, not counted). */
  readonly weight: number
  readonly metric?: string
  readonly check: Check
}

/** A case ready to run: prompt rendered, checks prepared. */
export interface PlannedCase extends CaseInfo {
  /**
   * The rendered prompt. May be rendered on first call (and is then remembered); throws when
   * the case's vars do not fill the template.
   */
  readonly messages: () => readonly ChatMessage[]
  readonly checks: readonly PlannedCheck[]
  /** When set, a sample passes on weighted score ≥ threshold instead of every check passing. */
  readonly threshold?: number
  /** Samples of this case when not the suite's `repeat` (a case's own `repeat:`). */
  readonly repeat?: number
}

/** Samples of `kase` in `suite`: its own `repeat`, else the suite's. */
export function repeatOf(suite: Pick<SuiteInfo, 'repeat'>, kase: Pick<PlannedCase, 'repeat'>) {
  return kase.repeat ?? suite.repeat
}

/** A suite ready to run. */
export interface PlannedSuite extends SuiteInfo {
  readonly cases: readonly PlannedCase[]
  /** Tools sent with every request of the suite (`tools:`). */
  readonly tools?: readonly ToolSpec[]
}

/** Everything one run will do. */
export interface EvalPlan {
  readonly suites: readonly PlannedSuite[]
}

/** Samples in the plan: cases × repeats over all suites. */
export function totalSamples(plan: EvalPlan): number {
  let n = 0
  for (const suite of plan.suites) for (const kase of suite.cases) n += repeatOf(suite, kase)
  return n
}

/** Which cases a run includes. An empty list means no restriction. */
export interface CaseFilter {
  readonly suites: readonly string[]
  /** A case matches when it carries any of these tags. */
  readonly tags: readonly string[]
  /**
   * Only these cases, by {@link caseKey} of the config's suite name and the case id: what
   * `--case`, `--filter`, `--first`, `--sample` and `--rerun-failed` kept (core/eval/select-cases).
   */
  readonly keep?: ReadonlySet<string>
}

/** Whether case `id` of `suite` with `tags` is selected by `filter`. */
export function matchesFilter(
  suite: string,
  tags: readonly string[],
  filter: CaseFilter,
  id?: string,
): boolean {
  if (filter.suites.length > 0 && !filter.suites.includes(suite)) return false
  if (filter.tags.length > 0 && !tags.some((t) => filter.tags.includes(t))) return false
  if (filter.keep !== undefined && (id === undefined || !filter.keep.has(caseKey(suite, id))))
    return false
  return true
}

/** The suites with only the cases of `shard`; suites left with none are dropped. */
export function shardOfPlan(suites: readonly PlannedSuite[], shard: Shard): PlannedSuite[] {
  return suites
    .map((s) => ({ ...s, cases: s.cases.filter((c) => inShard(shard, s.name, c.id)) }))
    .filter((s) => s.cases.length > 0)
}

/**
 * The structure of a value: object keys and value types, recursively; not the values. Cases of
 * a shape already rendered once need not be rendered while planning.
 */
export function shapeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return `[${[...new Set(value.map(shapeOf))].sort().join('|')}]`
  if (typeof value !== 'object') return typeof value
  // Keys in written order: the same keys in another order only cost one more up-front render.
  let shape = '{'
  for (const key in value)
    shape += `${key}\u0000${shapeOf((value as Record<string, unknown>)[key])},`
  return `${shape}}`
}

/**
 * Case ids of one suite: given ones are kept (a repeat is reported as a duplicate); missing ones
 * are derived from the suite name and the vars, so they stay stable across runs.
 */
export class CaseIds {
  private readonly seen = new Set<string>()
  constructor(private readonly suite: string) {}

  /** The id of the next case, and whether a given id was already taken. */
  next(given: string | undefined, vars: unknown): { id: string; duplicate: boolean } {
    if (given !== undefined) {
      const duplicate = this.seen.has(given)
      this.seen.add(given)
      return { id: given, duplicate }
    }
    const base = `${this.suite}-${sha256(`${this.suite}\n${canonicalJson(vars)}`).slice(0, 8)}`
    let id = base
    for (let n = 2; this.seen.has(id); n++) id = `${base}-${n}`
    this.seen.add(id)
    return { id, duplicate: false }
  }
}

/** A planned case as the store records it with the run. */
export function storedCase(suite: string, kase: CaseInfo): StoredCase {
  const stored: Mutable<StoredCase> = { suite, id: kase.id, vars: kase.vars, tags: kase.tags }
  if (kase.description !== undefined) stored.description = kase.description
  if (kase.source !== undefined) stored.source = kase.source
  if (kase.fingerprint !== undefined) stored.fingerprint = kase.fingerprint
  return stored
}

/** Suite tags then case tags, without repeats. */
export function mergeTags(
  suiteTags: readonly string[],
  caseTags: readonly string[],
): readonly string[] {
  if (suiteTags.length === 0) return caseTags.length === 0 ? NO_TAGS : caseTags
  return [...new Set([...suiteTags, ...caseTags])]
}

// One empty list for every untagged case, rather than each keeping its own.
const NO_TAGS: readonly string[] = Object.freeze([])

type Mutable<T> = { -readonly [K in keyof T]: T[K] }
