import type {
  CaseInfo,
  ResultsDocument,
  RunInfo,
  RunStatus,
  SampleResult,
  Shard,
  SourceLocation,
  SuiteInfo,
} from '../../contracts/results.js'
import { canonicalJson, sha256 } from '../../utils/hash.js'
import { runIdStamp } from '../../utils/ids.js'
import { buildResults } from './aggregate.js'
import { storedCase } from './plan.js'
import { formatShard } from './shard.js'

/** One shard's results document and the name it goes by in messages (its file). */
export interface NamedResults {
  readonly name: string
  readonly results: ResultsDocument
}

/** Options of {@link mergeShards}. */
export interface MergeOptions {
  /** Merge even when some of the `count` shards are missing; they are then a warning. */
  readonly allowMissing?: boolean
}

/** Why shards cannot be merged, and what to do about it. */
export interface MergeProblem {
  readonly message: string
  readonly hint: string
}

/** The merged results with what the caller should warn about, or why there are none. */
export type MergeOutcome =
  | { readonly ok: true; readonly results: ResultsDocument; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly problem: MergeProblem }

type Sharded = NamedResults & { readonly shard: Shard }
type PlannedCase = CaseInfo & { readonly suite: string }

/**
 * Joins the results of the shards of one sharded eval into the results document of the whole
 * run. The shards must share a config hash and shard count, each index given once, each case in
 * one shard, and suites of one name must have run alike. Statistics are rebuilt from the
 * samples, never averaged over shards. Suites keep the order the shards list them in (the
 * config's); cases within a suite are ordered by where they were declared (file, line,
 * column), which is the unsharded run's order, then by id. The merged run gets an id derived
 * from the shards' ids, the earliest start, the latest finish, and the worst status
 * (failed > interrupted > completed); it is not a shard.
 */
export function mergeShards(
  inputs: readonly NamedResults[],
  options: MergeOptions = {},
): MergeOutcome {
  try {
    const shards = checkShards(inputs)
    const warnings = missingShards(shards, options.allowMissing === true)
    const suites = joinSuites(shards)
    const { cases, samples } = joinCases(shards, suites)
    warnings.push(...differences(shards))
    const results = buildResults({ run: mergedRun(shards), suites, cases, samples })
    return { ok: true, results, warnings }
  } catch (error) {
    if (!(error instanceof Refusal)) throw error
    return { ok: false, problem: { message: error.message, hint: error.hint } }
  }
}

/** A reason to refuse the merge, turned into a {@link MergeProblem} by {@link mergeShards}. */
class Refusal extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message)
  }
}

/** The inputs as shards of one run, sorted by index; refuses what cannot belong together. */
function checkShards(inputs: readonly NamedResults[]): Sharded[] {
  if (inputs.length === 0) throw new Refusal('no results files to merge', 'name the shard files')
  const shards = inputs.map((input) => {
    const shard = input.results.run.shard
    if (shard === undefined) {
      throw new Refusal(
        `${input.name} is not a shard: its run was made without --shard`,
        'merge the results files of `shipgate eval --shard i/n` runs',
      )
    }
    return { ...input, shard }
  })
  const [first] = shards as [Sharded, ...Sharded[]]
  const byIndex = new Map<number, Sharded>()
  for (const s of shards) {
    if (s.shard.count !== first.shard.count) {
      throw new Refusal(
        `shards of different counts: ${first.name} is shard ${formatShard(first.shard)}, ${s.name} is shard ${formatShard(s.shard)}`,
        'merge the shards of one sharded run, all made with the same --shard count',
      )
    }
    if (s.results.run.configHash !== first.results.run.configHash) {
      throw new Refusal(
        `shards of different configs: ${first.name} has config hash ${first.results.run.configHash}, ${s.name} has ${s.results.run.configHash}`,
        'merge the shards of one sharded run, made from the same shipgate.yaml and cases',
      )
    }
    const twin = byIndex.get(s.shard.index)
    if (twin !== undefined) {
      throw new Refusal(
        `shard ${formatShard(s.shard)} given twice: ${twin.name} and ${s.name}`,
        'give each shard once',
      )
    }
    byIndex.set(s.shard.index, s)
  }
  return shards.sort((a, b) => a.shard.index - b.shard.index)
}

/** Warnings for shards of the count not given, or a refusal unless missing ones are allowed. */
function missingShards(shards: readonly Sharded[], allowMissing: boolean): string[] {
  const count = shards[0]?.shard.count ?? 0
  const given = new Set(shards.map((s) => s.shard.index))
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !given.has(i))
  if (missing.length === 0) return []
  const message = `${shards.length} of ${count} shards given: missing ${missing.map((i) => `${i}/${count}`).join(', ')}`
  if (!allowMissing) {
    throw new Refusal(message, 'give every shard, or pass --allow-missing to merge what there is')
  }
  return [`${message}; the merged results cover only the shards given`]
}

/**
 * The suites of all shards, joined by name, in the order the shards list them: each shard lists
 * its suites in config order, so a suite new to the merge goes after the one before it there.
 */
function joinSuites(shards: readonly Sharded[]): SuiteInfo[] {
  const seen = new Map<string, { info: SuiteInfo; from: string }>()
  const order: string[] = []
  for (const shard of shards) {
    let at = 0
    for (const suite of shard.results.suites) {
      const { stats: _stats, pass: _pass, cases: _cases, ...info } = suite
      const earlier = seen.get(suite.name)
      if (earlier === undefined) {
        seen.set(suite.name, { info, from: shard.name })
        order.splice(at, 0, suite.name)
        at += 1
        continue
      }
      if (canonicalJson(earlier.info) !== canonicalJson(info)) {
        throw new Refusal(
          `suite "${suite.name}" ran differently in ${earlier.from} and ${shard.name}`,
          'run every shard with the same flags (--repeat, --provider) and the same prompts',
        )
      }
      at = order.indexOf(suite.name) + 1
    }
  }
  return order.map((name) => (seen.get(name) as { info: SuiteInfo }).info)
}

/** Every shard's cases in the unsharded order, and their samples; a case in two is refused. */
function joinCases(shards: readonly Sharded[], suites: readonly SuiteInfo[]) {
  const owners = new Map<string, string>()
  const cases: PlannedCase[] = []
  const samples: SampleResult[] = []
  for (const shard of shards) {
    for (const suite of shard.results.suites) {
      for (const kase of suite.cases) {
        const key = `${suite.name}\u0000${kase.id}`
        const owner = owners.get(key)
        if (owner !== undefined) {
          throw new Refusal(
            `case ${suite.name}/${kase.id} is in both ${owner} and ${shard.name}`,
            'each case runs in one shard: merge the shards of one sharded run',
          )
        }
        owners.set(key, shard.name)
        cases.push(storedCase(suite.name, kase))
        samples.push(...kase.samples)
      }
    }
  }
  const rank = new Map(suites.map((s, i) => [s.name, i]))
  cases.sort(
    (a, b) =>
      (rank.get(a.suite) ?? 0) - (rank.get(b.suite) ?? 0) ||
      compareSources(a.source, b.source) ||
      compareText(a.id, b.id),
  )
  return { cases, samples }
}

/** Declared earlier first; cases with no known source last. */
function compareSources(a: SourceLocation | undefined, b: SourceLocation | undefined): number {
  if (a === undefined || b === undefined)
    return (a === undefined ? 1 : 0) - (b === undefined ? 1 : 0)
  return compareText(a.file, b.file) || a.line - b.line || (a.column ?? 0) - (b.column ?? 0)
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** What differs between shards without making the merge wrong: worth a warning. */
function differences(shards: readonly Sharded[]): string[] {
  const out: string[] = []
  const versions = new Set(shards.map((s) => s.results.run.shipgateVersion))
  if (versions.size > 1)
    out.push(`shards ran on different shipgate versions: ${[...versions].join(', ')}`)
  const commits = new Set(shards.map((s) => s.results.run.git?.commit ?? 'unknown'))
  if (commits.size > 1) out.push(`shards ran on different commits: ${[...commits].join(', ')}`)
  return out
}

const SEVERITY: Readonly<Record<RunStatus, number>> = {
  completed: 0,
  running: 1,
  interrupted: 1,
  failed: 2,
}

/** The merged run: ids, times and status from all shards; git and versions from the first. */
function mergedRun(shards: readonly Sharded[]): RunInfo {
  const runs = shards.map((s) => s.results.run)
  const first = runs[0] as RunInfo
  const startedAt = runs.reduce(
    (a, r) => (time(r.startedAt) < time(a) ? r.startedAt : a),
    first.startedAt,
  )
  let finishedAt: string | null = null
  let status: RunStatus = 'completed'
  for (const run of runs) {
    if (
      run.finishedAt !== null &&
      (finishedAt === null || time(run.finishedAt) > time(finishedAt))
    ) {
      finishedAt = run.finishedAt
    }
    // A shard still running when its file was written did not complete: count it interrupted.
    if (SEVERITY[run.status] > SEVERITY[status])
      status = run.status === 'running' ? 'interrupted' : run.status
  }
  const ids = runs.map((r) => r.id).sort()
  return {
    id: `${runIdStamp(new Date(time(startedAt)))}-${sha256(ids.join('\n')).slice(0, 6)}`,
    status,
    startedAt,
    finishedAt,
    git: first.git,
    configHash: first.configHash,
    shipgateVersion: first.shipgateVersion,
    // Every shard narrowed the same cases before taking its part: the merged run is as partial.
    ...(first.selection === undefined ? {} : { selection: first.selection }),
  }
}

function time(iso: string): number {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms))
    throw new Refusal(`"${iso}" is not a timestamp`, 'merge results files shipgate wrote')
  return ms
}
