import type {
  CaseInfo,
  CaseResult,
  ResultsDocument,
  RunInfo,
  SampleResult,
  SuiteInfo,
  SuiteResult,
  SuiteStats,
} from '../../contracts/results.js'
import { clusteredMean, passRateEstimate } from '../stats/intervals.js'
import { mean, quantileSorted } from '../stats/quantiles.js'

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
      for (const c of cases)
        bySuite.get(c.suite)?.push(buildCase(c, byCase.get(key(c.suite, c.id)) ?? []))
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
      durationMs: durationOf(run),
      pass: run.status === 'completed' && suites.every((s) => s.pass),
    },
    suites,
  }
}

function buildSuite(info: SuiteInfo, cases: CaseResult[]): SuiteResult {
  const stats = suiteStats(cases)
  return {
    ...info,
    stats,
    pass: stats.samples > 0 && stats.passRate.value >= info.threshold,
    cases,
  }
}

function buildCase(info: CaseInfo, samples: SampleResult[]): CaseResult {
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
    pass: samples.length > 0 && passed === samples.length,
  }
  if (info.description !== undefined) result.description = info.description
  if (info.source !== undefined) result.source = info.source
  return result
}

/** Statistics of a suite over the samples of its cases, in one pass. */
export function suiteStats(cases: readonly CaseResult[]): SuiteStats {
  const passes: boolean[][] = []
  const scores: number[][] = []
  const latencies: number[] = []
  const usage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 }
  let samples = 0
  let passed = 0
  let errors = 0
  let priced = 0
  let cost = 0
  for (const c of cases) {
    if (c.samples.length === 0) continue
    passes.push(c.samples.map((s) => s.pass))
    scores.push(c.samples.map((s) => s.score))
    for (const s of c.samples) {
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
    },
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
