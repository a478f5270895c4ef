import type {
  AssertionGrade,
  RunInfo,
  SampleResult,
  SuiteInfo,
} from '../../src/contracts/results.js'

/*
 * Fixtures of results documents for tests that build them with `buildResults`: a completed
 * run, a suite and a sample, each with every field filled, overridden where a test cares.
 */

/** A completed run that took one second. */
export function completedRun(overrides: Partial<RunInfo> = {}): RunInfo {
  return {
    id: 'r1',
    status: 'completed',
    startedAt: '2026-11-30T12:00:00.000Z',
    finishedAt: '2026-11-30T12:00:01.000Z',
    git: null,
    configHash: 'h',
    shipgateVersion: '0.1.0',
    ...overrides,
  }
}

/** Suite `s` on provider `p` (mock), one sample per case, every sample must pass. */
export function suiteInfo(overrides: Partial<SuiteInfo> = {}): SuiteInfo {
  return {
    name: 's',
    provider: { name: 'p', id: 'mock:p' },
    prompt: { name: 'q', version: 'v' },
    threshold: 0.5,
    repeat: 1,
    casePass: 'all',
    k: 1,
    ...overrides,
  }
}

/** A passing sample of suite `s` with no grades, no usage and no cost. */
export function sampleResult(
  overrides: Partial<SampleResult> & Pick<SampleResult, 'caseId'>,
): SampleResult {
  return {
    suite: 's',
    sample: 0,
    output: 'ok',
    pass: true,
    score: 1,
    grades: [],
    usage: null,
    costUsd: null,
    latencyMs: 10,
    error: null,
    attempts: 1,
    cached: false,
    ...overrides,
  }
}

/** A judge's grade of `score` (passing from 0.5), with the judge's usage: no cost, 5 ms. */
export function judgedGrade(score: number): AssertionGrade {
  return {
    type: 'llm-rubric',
    pass: score >= 0.5,
    score,
    reason: 'judged',
    weight: 1,
    judge: {
      provider: 'mock:judge',
      calls: 1,
      usage: null,
      costUsd: null,
      latencyMs: 5,
      cached: false,
    },
  }
}
