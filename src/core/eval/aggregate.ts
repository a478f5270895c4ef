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
import { addUsage, ZERO_USAGE } from '../../contracts/usage.js'
import { clusteredMean, passRateEstimate } from '../stats/intervals.js'
import { mean, quantileSorted } from '../stats/quantiles.js'

/** The inputs of a results document: what was planned and what finished. */
export interface RunRecord {
  readonly run: RunInfo
  readonly suites: readonly SuiteInfo[]
  readonly cases: readonly (CaseInfo & { readonly suite: string })[]
  readonly samples: readonly SampleResult[]
}

/**
 * Builds the results document of a run: cases with their samples, per-suite statistics and the
 * overall summary. Cases that never finished a sample (an interrupted run) are listed with none
 * and are left out of the statistics.
 */
export function buildResults(record: RunRecord): ResultsDocument {
  const samplesByCase = groupSamples(record.samples)
  const suites = record.suites.map((info) =>
    buildSuite(
      info,
      record.cases.filter((c) => c.suite === info.name),
      samplesByCase,
    ),
  )
  const completed = record.run.status === 'completed'
  const stats = suites.map((s) => s.stats)
  const costs = stats.map((s) => s.costUsd.total).filter((c): c is number => c !== null)
  return {
    schemaVersion: 1,
    run: record.run,
    summary: {
      suites: suites.length,
      cases: sum(stats.map((s) => s.cases)),
      samples: sum(stats.map((s) => s.samples)),
      passed: sum(stats.map((s) => s.passed)),
      failed: sum(stats.map((s) => s.failed)),
      errors: sum(stats.map((s) => s.errors)),
      costUsd: costs.length === 0 ? null : sum(costs),
      durationMs: durationOf(record.run),
      pass: completed && suites.every((s) => s.pass),
    },
    suites,
  }
}

function buildSuite(
  info: SuiteInfo,
  cases: readonly (CaseInfo & { suite: string })[],
  samplesByCase: ReadonlyMap<string, SampleResult[]>,
): SuiteResult {
  const caseResults = cases.map((c) => buildCase(c, samplesByCase.get(key(info.name, c.id)) ?? []))
  const stats = suiteStats(caseResults)
  return {
    ...info,
    stats,
    pass: stats.samples > 0 && stats.passRate.value >= info.threshold,
    cases: caseResults,
  }
}

function buildCase(info: CaseInfo & { suite: string }, samples: SampleResult[]): CaseResult {
  samples.sort((a, b) => a.sample - b.sample)
  const passed = samples.filter((s) => s.pass).length
  const { suite: _suite, ...rest } = info
  return {
    ...rest,
    samples,
    passRate: samples.length === 0 ? 0 : passed / samples.length,
    pass: samples.length > 0 && passed === samples.length,
  }
}

/** Statistics of a suite over the samples of its cases. */
export function suiteStats(cases: readonly CaseResult[]): SuiteStats {
  const samples = cases.flatMap((c) => c.samples)
  const clusters = cases.flatMap((c) => c.samples.map(() => c.id))
  const latencies = samples
    .map((s) => s.latencyMs)
    .filter((l): l is number => l !== null)
    .sort((a, b) => a - b)
  const priced = samples.map((s) => s.costUsd).filter((c): c is number => c !== null)
  const ran = cases.filter((c) => c.samples.length > 0).length
  const total = priced.length === 0 ? null : sum(priced)
  const passed = samples.filter((s) => s.pass).length
  return {
    cases: ran,
    samples: samples.length,
    passed,
    failed: samples.length - passed,
    errors: samples.filter((s) => s.error !== null).length,
    passRate: passRateEstimate(
      samples.map((s) => s.pass),
      clusters,
    ),
    score: clusteredMean(
      samples.map((s) => s.score),
      clusters,
      { min: 0, max: 1 },
    ),
    latencyMs: {
      p50: quantileSorted(latencies, 0.5),
      p95: quantileSorted(latencies, 0.95),
      mean: mean(latencies),
    },
    usage: samples.reduce((u, s) => (s.usage === null ? u : addUsage(u, s.usage)), ZERO_USAGE),
    costUsd: {
      total,
      perCase: total === null || ran === 0 ? null : total / ran,
      unpriced: samples.length - priced.length,
    },
  }
}

function groupSamples(samples: readonly SampleResult[]): Map<string, SampleResult[]> {
  const groups = new Map<string, SampleResult[]>()
  for (const s of samples) {
    const k = key(s.suite, s.caseId)
    const list = groups.get(k)
    if (list === undefined) groups.set(k, [s])
    else list.push(s)
  }
  return groups
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
