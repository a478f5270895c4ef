import { sha256 } from '../../utils/hash.js'
import { seededRandom } from '../../utils/random.js'

/*
 * The quick loop's narrowing of a run to some cases: `--case`, `--filter`, `--first`,
 * `--sample` and `--rerun-failed`. Pure: the random stream of a sample comes from the number
 * given, so the same number picks the same cases.
 */

/** A case a selection chooses from: its suite (the config's name), id and description. */
export interface CandidateCase {
  readonly suite: string
  readonly id: string
  readonly description?: string
}

/** Which cases of the suites and tags asked for a run keeps. Absent fields keep every case. */
export interface CaseSelection {
  /** Case ids (`--case`, any suite) or `suite/id` (that suite's); a case matching any is kept. */
  readonly cases?: readonly string[]
  /** A regular expression matched, case-insensitively, against ids, `suite/id` and descriptions. */
  readonly filter?: RegExp
  /** Only these cases, by config suite name then id (`--rerun-failed`). */
  readonly only?: ReadonlyMap<string, ReadonlySet<string>>
  /** A uniform random sample of this many cases of each suite, picked with a stream from `seed`. */
  readonly sample?: { readonly size: number; readonly seed: number }
  /** The first this many cases of each suite, in file order, after every other narrowing. */
  readonly first?: number
}

/** What a selection kept, and what it asked for that is not there. */
export interface SelectedCases {
  /** Kept cases, by {@link caseKey}. */
  readonly keep: ReadonlySet<string>
  /** `cases` entries that name no candidate. */
  readonly unknown: readonly string[]
  /** `only` entries (`suite/id`) that name no candidate: cases that no longer exist. */
  readonly gone: readonly string[]
}

/** The key of a case in {@link SelectedCases.keep}. */
export function caseKey(suite: string, id: string): string {
  return `${suite}\u0000${id}`
}

/**
 * The cases of `candidates` (in config and file order) that `selection` keeps: those matching
 * `cases`, `filter` and `only` together, then a sample of each suite, then the first of each.
 */
export function selectCases(
  candidates: readonly CandidateCase[],
  selection: CaseSelection,
): SelectedCases {
  const matching = candidates.filter((c) => matches(c, selection))
  const bySuite = new Map<string, CandidateCase[]>()
  for (const c of matching) {
    const list = bySuite.get(c.suite)
    if (list === undefined) bySuite.set(c.suite, [c])
    else list.push(c)
  }
  const keep = new Set<string>()
  for (const [suite, cases] of bySuite) {
    let kept = cases
    if (selection.sample !== undefined) kept = sampleOf(kept, selection.sample, suite)
    if (selection.first !== undefined) kept = kept.slice(0, selection.first)
    for (const c of kept) keep.add(caseKey(c.suite, c.id))
  }
  return {
    keep,
    unknown: unknownCases(candidates, selection.cases),
    gone: goneCases(candidates, selection.only),
  }
}

function matches(c: CandidateCase, selection: CaseSelection): boolean {
  const { cases, filter, only } = selection
  if (cases !== undefined && cases.length > 0 && !cases.some((n) => names(n, c))) return false
  if (only !== undefined && only.get(c.suite)?.has(c.id) !== true) return false
  if (filter !== undefined) {
    const texts = [c.id, `${c.suite}/${c.id}`, c.description ?? '']
    // A global or sticky expression would carry its position from one test to the next.
    filter.lastIndex = 0
    if (!texts.some((t) => filter.test(t))) return false
  }
  return true
}

/** Whether a `--case` value names a case: its id, or its suite and id as `suite/id`. */
function names(value: string, c: CandidateCase): boolean {
  return value === c.id || value === `${c.suite}/${c.id}`
}

/**
 * `size` cases of `cases`, each subset of that size equally likely (a partial Fisher–Yates
 * shuffle), kept in file order. Each suite draws from its own stream, so the sample of one suite
 * does not change when other suites are run or not.
 */
export function sampleOf<T>(
  cases: readonly T[],
  sample: { readonly size: number; readonly seed: number },
  suite: string,
): T[] {
  if (sample.size >= cases.length) return [...cases]
  const random = seededRandom((sample.seed ^ parseInt(sha256(suite).slice(0, 8), 16)) >>> 0)
  const index = cases.map((_, i) => i)
  for (let i = 0; i < sample.size; i++) {
    const j = i + Math.floor(random() * (index.length - i))
    const swap = index[i] as number
    index[i] = index[j] as number
    index[j] = swap
  }
  return index
    .slice(0, sample.size)
    .sort((a, b) => a - b)
    .map((i) => cases[i] as T)
}

function unknownCases(
  candidates: readonly CandidateCase[],
  cases: readonly string[] | undefined,
): string[] {
  if (cases === undefined) return []
  return cases.filter((n) => !candidates.some((c) => names(n, c)))
}

function goneCases(
  candidates: readonly CandidateCase[],
  only: ReadonlyMap<string, ReadonlySet<string>> | undefined,
): string[] {
  if (only === undefined) return []
  const known = new Set(candidates.map((c) => caseKey(c.suite, c.id)))
  const gone: string[] = []
  for (const [suite, ids] of only) {
    for (const id of ids) if (!known.has(caseKey(suite, id))) gone.push(`${suite}/${id}`)
  }
  return gone
}
