import type { GateVerdict, NewlyFailingCase } from '../../src/contracts/gate.js'
import type {
  AssertionGrade,
  CaseInfo,
  ResultsDocument,
  SampleResult,
  SourceLocation,
  SuiteInfo,
} from '../../src/contracts/results.js'
import { buildResults } from '../../src/core/eval/aggregate.js'

/**
 * A fixed gate verdict and the results it was made from, written by hand for the report
 * snapshots: a failed cost check, an approved and a skipped check ("no baseline"), newly
 * failing cases with and without file:line, and hostile text (`<script>`, `|`) in a reason.
 */

/** Untrusted model output quoted in a reason. */
export const HOSTILE = '<script>alert(1)</script> | `rm -rf` *bold* [link](x)'

const USAGE = { input: 120, output: 40, cacheRead: 0, cacheWrite: 0, reasoning: 0 }

interface SampleSpec {
  readonly suite: string
  readonly caseId: string
  readonly sample?: number
  readonly pass: boolean
  readonly reason?: string
  readonly error?: SampleResult['error']
  readonly judged?: boolean
}

function grade(spec: SampleSpec): AssertionGrade[] {
  const contains: AssertionGrade = {
    type: 'icontains',
    pass: spec.pass,
    score: spec.pass ? 1 : 0,
    reason: spec.reason ?? (spec.pass ? 'output contains the value' : 'output lacks the value'),
    weight: 1,
  }
  if (spec.judged !== true) return [contains]
  const judge = {
    provider: 'mock:judge',
    calls: 1,
    usage: USAGE,
    costUsd: 0.0005,
    latencyMs: 40,
    cached: false,
  }
  return [contains, { type: 'llm-rubric', pass: true, score: 1, reason: 'ok', weight: 1, judge }]
}

/** One graded sample. */
export function sample(spec: SampleSpec): SampleResult {
  const failedCall = spec.error !== undefined && spec.error !== null
  return {
    suite: spec.suite,
    caseId: spec.caseId,
    sample: spec.sample ?? 0,
    output: failedCall ? null : `review of ${spec.caseId}`,
    pass: spec.pass,
    score: spec.pass ? 1 : 0,
    grades: failedCall ? [] : grade(spec),
    usage: failedCall ? null : USAGE,
    costUsd: failedCall ? null : 0.0012,
    latencyMs: failedCall ? null : 800 + (spec.sample ?? 0) * 100,
    error: spec.error ?? null,
    attempts: 1,
    cached: false,
  }
}

function suiteInfo(name: string, repeat: number): SuiteInfo {
  return {
    name,
    provider: { name: 'scripted', id: 'mock:claude-3-5-haiku-20241022' },
    prompt: { name, version: 'a1b2c3d4' },
    threshold: 0.75,
    repeat,
    casePass: 'all',
    k: repeat,
  }
}

function kase(suite: string, id: string, source?: SourceLocation): CaseInfo & { suite: string } {
  return { suite, id, vars: {}, tags: [], ...(source === undefined ? {} : { source }) }
}

const at = (file: string, line: number): SourceLocation => ({ file, line })
const RUN = {
  id: 'run-0002',
  status: 'completed' as const,
  startedAt: '2026-11-30T12:00:00.000Z',
  finishedAt: '2026-11-30T12:00:42.500Z',
  git: { commit: 'abcdef0123456789abcdef0123456789abcdef01', branch: 'feature/x', dirty: false },
  configHash: 'cfg',
  shipgateVersion: '0.1.0',
}

/** The current run: two suites, three failing cases, one of them an error, one flaky. */
export function fixtureResults(): ResultsDocument {
  return buildResults({
    run: RUN,
    suites: [suiteInfo('code-review', 1), suiteInfo('summarize', 2)],
    cases: [
      kase('code-review', 'sql-injection', at('evals/code-review.yaml', 4)),
      kase('code-review', 'xss', at('evals/code-review.yaml', 12)),
      kase('code-review', 'clean-code', at('evals/code-review.yaml', 20)),
      kase('code-review', 'csrf', at('evals/cases.csv', 3)),
      kase('summarize', 'short-text'),
      kase('summarize', 'long-text'),
    ],
    samples: [
      sample({ suite: 'code-review', caseId: 'sql-injection', pass: true, judged: true }),
      sample({
        suite: 'code-review',
        caseId: 'xss',
        pass: false,
        reason: `output does not contain "XSS": ${HOSTILE}`,
      }),
      sample({ suite: 'code-review', caseId: 'clean-code', pass: true }),
      sample({
        suite: 'code-review',
        caseId: 'csrf',
        pass: false,
        error: { kind: 'timeout', message: 'no answer in 30000 ms' },
      }),
      sample({ suite: 'summarize', caseId: 'short-text', pass: true }),
      sample({ suite: 'summarize', caseId: 'short-text', sample: 1, pass: true }),
      sample({ suite: 'summarize', caseId: 'long-text', pass: true }),
      sample({ suite: 'summarize', caseId: 'long-text', sample: 1, pass: false }),
    ],
  })
}

const NEWLY: readonly NewlyFailingCase[] = [
  {
    suite: 'code-review',
    caseId: 'xss',
    source: at('evals/code-review.yaml', 12),
    reason: `icontains: output does not contain "XSS": ${HOSTILE}`,
  },
  {
    suite: 'code-review',
    caseId: 'csrf',
    source: at('evals/cases.csv', 3),
    reason: 'error (timeout): no answer in 30000 ms',
  },
  { suite: 'summarize', caseId: 'long-text', reason: 'icontains: output lacks the value' },
]

/** The verdict of the gate on {@link fixtureResults} against a baseline from main. */
export function fixtureVerdict(): GateVerdict {
  return {
    schemaVersion: 1,
    pass: false,
    run: { id: RUN.id, git: RUN.git, startedAt: RUN.startedAt },
    baseline: {
      runId: 'run-0001',
      source: 'store',
      branch: 'main',
      git: { commit: '0123456789abcdef0123456789abcdef01234567', branch: 'main', dirty: false },
      startedAt: '2026-11-29T09:00:00.000Z',
    },
    checks: [
      {
        id: 'suite.code-review.pass-rate',
        kind: 'absolute',
        name: 'pass rate',
        suite: 'code-review',
        status: 'failed',
        actual: 0.5,
        limit: 0.75,
        message: 'pass rate 0.50 below 0.75',
      },
      {
        id: 'suite.summarize.pass-rate',
        kind: 'absolute',
        name: 'pass rate',
        suite: 'summarize',
        status: 'passed',
        actual: 0.75,
        limit: 0.75,
        message: 'pass rate 0.75 ≥ 0.75',
      },
      {
        id: 'cost-increase',
        kind: 'baseline',
        name: 'cost per case vs main',
        status: 'failed',
        actual: 104.2,
        limit: 20,
        message: 'cost per case +104% vs main (limit +20%) | reason: <b>bigger prompt</b>',
        approval: 'cost',
      },
      {
        id: 'suite.code-review.quality',
        kind: 'baseline',
        name: 'pass rate drop vs main',
        suite: 'code-review',
        status: 'approved',
        actual: -0.5,
        limit: -0.05,
        message:
          'pass rate -0.50 vs main (limit -0.05), approved by label shipgate:approve-quality',
        approval: 'quality',
      },
      {
        id: 'suite.summarize.latency',
        kind: 'baseline',
        name: 'p95 latency vs main',
        suite: 'summarize',
        status: 'skipped',
        actual: null,
        limit: 20,
        message: 'no baseline: summarize has no run on main',
      },
    ],
    suites: [
      {
        suite: 'code-review',
        pairedCases: 4,
        passRate: {
          baseline: 1,
          current: 0.5,
          difference: { value: -0.5, lower: -0.99, upper: -0.01, level: 0.95 },
          pValue: 0.5,
        },
        score: {
          baseline: 1,
          current: 0.5,
          difference: { value: -0.5, lower: -0.99, upper: -0.01, level: 0.95 },
        },
        costPerCase: { baseline: 0.00059, current: 0.0012, changePct: 103.4 },
        latencyP95: { baseline: 760, current: 800, changePct: 5.3 },
      },
    ],
    newlyFailing: NEWLY,
    approvals: [{ key: 'quality', from: 'label shipgate:approve-quality' }],
  }
}

/** The same verdict made without a baseline. */
export function fixtureVerdictWithoutBaseline(): GateVerdict {
  const verdict = fixtureVerdict()
  return {
    ...verdict,
    baseline: null,
    suites: [],
    newlyFailing: [],
    checks: verdict.checks.filter((c) => c.kind === 'absolute'),
  }
}

/**
 * A run with `n` failing cases (long hostile reasons, every one newly failing) and a verdict
 * with the fixture's checks or a failed check per case: for the size limits.
 */
export function hugeFixture(
  n: number,
  checks: 'per-case' | 'few' = 'per-case',
): { verdict: GateVerdict; results: ResultsDocument } {
  const reason = `${'é'.repeat(300)} ${HOSTILE} ${'x'.repeat(600)}`
  const ids = Array.from({ length: n }, (_, i) => `case-${String(i).padStart(5, '0')}`)
  const results = buildResults({
    run: RUN,
    suites: [suiteInfo('big', 1)],
    cases: ids.map((id, i) => kase('big', id, at('evals/big.yaml', i * 3 + 1))),
    samples: ids.map((id) => sample({ suite: 'big', caseId: id, pass: false, reason })),
  })
  const base = fixtureVerdict()
  const verdict: GateVerdict = {
    ...base,
    checks:
      checks === 'few'
        ? base.checks
        : ids.map((id) => ({
            id: `case.${id}`,
            kind: 'absolute',
            name: `case ${id}`,
            suite: 'big',
            status: 'failed',
            actual: 0,
            limit: 1,
            message: reason,
          })),
    suites: base.suites.map((d) => ({ ...d, suite: 'big' })),
    newlyFailing: ids.map((id, i) => ({
      suite: 'big',
      caseId: id,
      source: at('evals/big.yaml', i * 3 + 1),
      reason,
    })),
  }
  return { verdict, results }
}
