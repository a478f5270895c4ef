import type {
  AssertionGrade,
  CaseInfo,
  CasePassRule,
  Estimate,
  JudgeStats,
  MetricStats,
  PassAtK,
  CaseResult,
  ResultsDocument,
  RunInfo,
  SampleResult,
  SuiteInfo,
  SuiteResult,
  SuiteStats,
} from '../../contracts/results.js'
import { clusteredMean, passRateEstimate, wilson } from '../stats/intervals.js'
import { mean, quantileSorted } from '../stats/quantiles.js'
import { casePasses, passAtK, passHatK } from './repeats.js'

/** The inputs of a results document: what was planned and what finished. */
export interface RunRecord {
  readonly run: RunInfo
  readonly suites: readonly SuiteInfo[]
  readonly cases: readonly (CaseInfo & { readonly suite: string })[]
  readonly samples: readonly SampleResult[]
}

/** What a run planned, for {@link createResultsBuilder}. */
export type PlannedCases = readonly (CaseInfo & { readonly suite: string })[]

/** Collects a run's samples as they finish, then builds its results document. */
export interface ResultsBuilder {
  /** Files a finished sample under its case. */
  add(sample: SampleResult): void
  /** The results document of the run as it stands. */
  build(run: RunInfo): ResultsDocument
}

/**
 * A results builder for the planned suites and cases. Samples are grouped by case as they
 * arrive, so building the document at the end of a long run is a short final pass.
 */
export function createResultsBuilder(
  suites: readonly SuiteInfo[],
  cases: PlannedCases,
): ResultsBuilder {
  const byCase = new Map<string, SampleResult[]>()
  return {
    add(sample) {
      const k = key(sample.suite, sample.caseId)
      const list = byCase.get(k)
      if (list === undefined) byCase.set(k, [sample])
      else list.push(sample)
    },
    build(run) {
      const bySuite = new Map<string, CaseResult[]>(suites.map((s) => [s.name, []]))
      const rules = new Map(suites.map((s) => [s.name, s.casePass]))
      for (const c of cases) {
        const samples = byCase.get(key(c.suite, c.id)) ?? []
        bySuite.get(c.suite)?.push(buildCase(c, samples, rules.get(c.suite) ?? 'all'))
      }
      return assemble(
        run,
        suites.map((info) => buildSuite(info, bySuite.get(info.name) ?? [])),
      )
    },
  }
}

/**
 * Builds the results document of a run: cases with their samples, per-suite statistics and the
 * overall summary. Cases that never finished a sample (an interrupted run) are listed with none
 * and are left out of the statistics.
 */
export function buildResults(record: RunRecord): ResultsDocument {
  const builder = createResultsBuilder(record.suites, record.cases)
  for (const sample of record.samples) builder.add(sample)
  return builder.build(record.run)
}

function assemble(run: RunInfo, suites: SuiteResult[]): ResultsDocument {
  const stats = suites.map((s) => s.stats)
  const costs = stats.map((s) => s.costUsd.total).filter((c): c is number => c !== null)
  const judgeCosts = stats.map((s) => s.judge.costUsd).filter((c): c is number => c !== null)
  return {
    schemaVersion: 1,
    run,
    summary: {
      suites: suites.length,
      cases: sum(stats.map((s) => s.cases)),
      samples: sum(stats.map((s) => s.samples)),
      passed: sum(stats.map((s) => s.passed)),
      failed: sum(stats.map((s) => s.failed)),
      errors: sum(stats.map((s) => s.errors)),
      costUsd: costs.length === 0 ? null : sum(costs),
      judgeCostUsd: judgeCosts.length === 0 ? null : sum(judgeCosts),
      ...(stats.some((x) => x.reused > 0) ? { reused: sum(stats.map((x) => x.reused)) } : {}),
      ...replayedOf(stats),
      durationMs: durationOf(run),
      pass: run.status === 'completed' && suites.every((s) => s.pass),
    },
    suites,
  }
}

/** The summary's `replayed`, when any sample was replayed. */
function replayedOf(stats: readonly SuiteStats[]): Pick<ResultsDocument['summary'], 'replayed'> {
  const samples = sum(stats.map((x) => x.replayed))
  if (samples === 0) return {}
  const priced = stats.filter((x) => x.replayed > 0 && x.costUsd.total !== null)
  const costUsd = priced.length === 0 ? null : sum(priced.map((x) => x.costUsd.replayed))
  return { replayed: { samples, costUsd } }
}

function buildSuite(info: SuiteInfo, cases: CaseResult[]): SuiteResult {
  const stats = suiteStats(cases, info.k)
  return {
    ...info,
    stats,
    pass: stats.samples > 0 && stats.passRate.value >= info.threshold,
    cases,
  }
}

function buildCase(info: CaseInfo, samples: SampleResult[], rule: CasePassRule): CaseResult {
  if (samples.length > 1) samples.sort((a, b) => a.sample - b.sample)
  let passed = 0
  for (const s of samples) if (s.pass) passed += 1
  // Built field by field, not with rest/spread, which is several times slower per case.
  const result: { -readonly [K in keyof CaseResult]: CaseResult[K] } = {
    id: info.id,
    vars: info.vars,
    tags: info.tags,
    samples,
    passRate: samples.length === 0 ? 0 : passed / samples.length,
    pass: casePasses(passed, samples.length, rule),
    flaky: passed > 0 && passed < samples.length,
  }
  if (info.description !== undefined) result.description = info.description
  if (info.source !== undefined) result.source = info.source
  if (info.fingerprint !== undefined) result.fingerprint = info.fingerprint
  return result
}

/**
 * Statistics of a suite over the samples of its cases, in one pass. `k` is the k of pass@k;
 * it is reported only when some case ran more than once.
 */
export function suiteStats(cases: readonly CaseResult[], k = 1): SuiteStats {
  const passes: boolean[][] = []
  const scores: number[][] = []
  const latencies: number[] = []
  const usage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 }
  let samples = 0
  let passed = 0
  let errors = 0
  let priced = 0
  let cost = 0
  let casesPassed = 0
  let flaky = 0
  let reused = 0
  let replayed = 0
  let replayedCost = 0
  let repeated = false
  const metrics = new MetricCollector()
  const judge = new JudgeCollector()
  for (const c of cases) {
    if (c.samples.length === 0) continue
    passes.push(c.samples.map((s) => s.pass))
    scores.push(c.samples.map((s) => s.score))
    if (c.pass) casesPassed += 1
    if (c.flaky) flaky += 1
    if (c.samples.length > 1) repeated = true
    metrics.startCase()
    for (const s of c.samples) {
      if (s.reused === true) reused += 1
      if (s.cached) {
        replayed += 1
        replayedCost += s.costUsd ?? 0
      }
      if (s.grades.length > 0) {
        metrics.add(s.grades)
        judge.add(s.grades)
      }
      samples += 1
      if (s.pass) passed += 1
      if (s.error !== null) errors += 1
      if (s.latencyMs !== null) latencies.push(s.latencyMs)
      if (s.costUsd !== null) {
        priced += 1
        cost += s.costUsd
      }
      if (s.usage !== null) {
        usage.input += s.usage.input
        usage.output += s.usage.output
        usage.cacheRead += s.usage.cacheRead
        usage.cacheWrite += s.usage.cacheWrite
        usage.reasoning += s.usage.reasoning
      }
    }
  }
  latencies.sort((a, b) => a - b)
  const ran = passes.length
  const total = priced === 0 ? null : cost
  return {
    cases: ran,
    samples,
    passed,
    failed: samples - passed,
    errors,
    passRate: passRateEstimate(passes),
    score: clusteredMean(scores, { min: 0, max: 1 }),
    latencyMs: {
      p50: quantileSorted(latencies, 0.5),
      p95: quantileSorted(latencies, 0.95),
      mean: mean(latencies),
    },
    usage,
    costUsd: {
      total,
      perCase: total === null || ran === 0 ? null : total / ran,
      unpriced: samples - priced,
      replayed: replayedCost,
    },
    reused,
    replayed,
    casesPassed,
    flaky,
    passAtK: repeated ? passAtKOf(passes, k) : null,
    metrics: metrics.build(),
    judge: judge.build(),
  }
}

/** pass@k and pass^k averaged over the cases that ran at least k samples. */
function passAtKOf(passes: readonly (readonly boolean[])[], k: number): PassAtK | null {
  const any: number[][] = []
  const all: number[][] = []
  for (const samples of passes) {
    let c = 0
    for (const pass of samples) if (pass) c += 1
    const atK = passAtK(samples.length, c, k)
    const hatK = passHatK(samples.length, c, k)
    if (atK === undefined || hatK === undefined) continue
    any.push([atK])
    all.push([hatK])
  }
  if (any.length === 0) return null
  return { k, passAtK: shareEstimate(any), passHatK: shareEstimate(all) }
}

/**
 * The mean of per-case shares with its interval. When every case is at 0 or every case at 1
 * the spread is zero and a normal interval would be a point; Wilson's over the cases is not.
 */
function shareEstimate(values: readonly (readonly number[])[]): Estimate {
  const first = values[0]?.[0]
  if ((first === 0 || first === 1) && values.every((v) => v[0] === first)) {
    return wilson(first * values.length, values.length)
  }
  return clusteredMean(values, { min: 0, max: 1 })
}

/**
 * The named measures of a suite: each assertion's `metric`, and the type of model-graded or
 * valued checks, with their values grouped by case for clustered intervals.
 */
class MetricCollector {
  private readonly byName = new Map<
    string,
    { values: number[][]; passed: number; n: number; scale: { min: number; max: number } }
  >()
  private fresh = new Set<string>()

  startCase(): void {
    this.fresh = new Set()
  }

  add(grades: readonly AssertionGrade[]): void {
    for (const g of grades) {
      const name = g.metric ?? (g.judge !== undefined || g.value !== undefined ? g.type : undefined)
      if (name === undefined || g.error === true) continue
      let entry = this.byName.get(name)
      if (entry === undefined) {
        entry = { values: [], passed: 0, n: 0, scale: g.scale ?? { min: 0, max: 1 } }
        this.byName.set(name, entry)
      }
      if (!this.fresh.has(name)) {
        this.fresh.add(name)
        entry.values.push([])
      }
      entry.values.at(-1)?.push(g.value ?? g.score)
      entry.n += 1
      if (g.pass) entry.passed += 1
    }
  }

  build(): Record<string, MetricStats> {
    const out: Record<string, MetricStats> = {}
    for (const [name, entry] of this.byName) {
      out[name] = {
        mean: clusteredMean(entry.values, entry.scale),
        passRate: entry.n === 0 ? 0 : entry.passed / entry.n,
        samples: entry.n,
      }
    }
    return out
  }
}

/** Sums the judge calls of graded checks. */
class JudgeCollector {
  private calls = 0
  private cost = 0
  private priced = 0
  private unpriced = 0
  private readonly usage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 }

  add(grades: readonly AssertionGrade[]): void {
    for (const { judge } of grades) {
      if (judge === undefined) continue
      this.calls += judge.calls
      if (judge.costUsd === null) this.unpriced += judge.calls
      else {
        this.priced += 1
        this.cost += judge.costUsd
      }
      const u = judge.usage
      if (u === null) continue
      this.usage.input += u.input
      this.usage.output += u.output
      this.usage.cacheRead += u.cacheRead
      this.usage.cacheWrite += u.cacheWrite
      this.usage.reasoning += u.reasoning
    }
  }

  build(): JudgeStats {
    return {
      calls: this.calls,
      usage: this.usage,
      costUsd: this.priced === 0 ? null : this.cost,
      unpriced: this.unpriced,
    }
  }
}

function key(suite: string, caseId: string): string {
  return `${suite}\u0000${caseId}`
}

function durationOf(run: RunInfo): number | null {
  if (run.finishedAt === null) return null
  return Date.parse(run.finishedAt) - Date.parse(run.startedAt)
}

function sum(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0)
}
