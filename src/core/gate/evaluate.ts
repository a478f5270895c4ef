import type {
  BaselineInfo,
  GateCheck,
  GateVerdict,
  NewlyFailingCase,
  SuiteDelta,
} from '../../contracts/gate.js'
import type { CaseResult, ResultsDocument, SuiteResult } from '../../contracts/results.js'
import { holm } from '../stats/multiple.js'
import { judgeBudget, type BudgetInput } from './budget.js'
import { costCheck, costTally, tallySuite } from './cost.js'
import { DEFAULT_COMPARE, type CompareRules } from './defaults.js'
import { pairCases, scorePValue, suiteDelta } from './delta.js'

export type { CompareRules } from './defaults.js'

/** Absolute limits; each is checked when set. */
export interface Thresholds {
  readonly passRate?: number
  readonly score?: number
  readonly errorRate?: number
  readonly latencyP50Ms?: number
  readonly latencyP95Ms?: number
  readonly costPerCaseUsd?: number
  readonly totalCostUsd?: number
}

/** The gate's rules, as `gate:` in config gives them (defaults applied). */
export interface GateRules {
  readonly thresholds?: Thresholds
  readonly suites: Readonly<Record<string, Thresholds>>
  readonly compare: CompareRules
}

/** Everything the verdict depends on. */
export interface GateInput {
  readonly current: ResultsDocument
  readonly baseline: { readonly results: ResultsDocument; readonly info: BaselineInfo } | null
  /** Why there is no baseline, shown on the skipped checks. */
  readonly noBaselineReason?: string
  readonly rules: GateRules
  readonly approvals: readonly { readonly key: string; readonly from: string }[]
  /** Checks already decided from other tools' files (coverage, SARIF). */
  readonly external: readonly GateCheck[]
  /** The month's CI spend and `gate.budget`, when a budget is set. */
  readonly budget?: BudgetInput
}

/** The default rules: no absolute limits, the seed's comparison limits (`DEFAULT_COMPARE`). */
export const DEFAULT_RULES: GateRules = { suites: {}, compare: DEFAULT_COMPARE }

/**
 * The gate's verdict: absolute checks per suite and for the run, comparisons with the baseline
 * (cases paired by id; drops in pass rate by McNemar and in score by a paired t-test, Holm-
 * adjusted across suites), external checks, the monthly budget, then approvals turn failed
 * checks into `approved`.
 */
export function evaluateGate(input: GateInput): GateVerdict {
  const { current, baseline, rules } = input
  const checks: GateCheck[] = []
  if (current.run.status !== 'completed') {
    checks.push({
      id: 'run.completed',
      kind: 'absolute',
      name: 'run completed',
      status: 'failed',
      actual: null,
      limit: null,
      message: `the run is ${current.run.status}: its figures cover only what finished`,
    })
  }
  for (const suite of current.suites) checks.push(...suiteChecks(suite, rules))
  checks.push(...runChecks(current, rules.thresholds ?? {}))
  const deltas: SuiteDelta[] = []
  let newlyFailing: NewlyFailingCase[] = []
  if (baseline === null) {
    const why = input.noBaselineReason ?? 'no baseline'
    checks.push(skipped('cost-increase', 'cost increase vs baseline', why, 'cost'))
    checks.push(skipped('quality-drop', 'pass rate and score drop vs baseline', why, 'quality'))
    checks.push(skipped('latency-increase', 'p95 latency increase vs baseline', why, 'latency'))
  } else {
    const compared = compare(current, baseline, rules)
    checks.push(...compared.checks)
    deltas.push(...compared.deltas)
    newlyFailing = compared.newlyFailing
  }
  checks.push(...input.external)
  const budget = input.budget === undefined ? undefined : judgeBudget(input.budget, current)
  if (budget !== undefined) checks.push(budget.check)
  const approved = new Set(input.approvals.map((a) => a.key))
  const final = checks.map((c) =>
    c.status === 'failed' && c.approval !== undefined && approved.has(c.approval)
      ? { ...c, status: 'approved' as const, message: `${c.message} — approved (${c.approval})` }
      : c,
  )
  return {
    schemaVersion: 1,
    pass: final.every((c) => c.status !== 'failed'),
    run: { id: current.run.id, git: current.run.git, startedAt: current.run.startedAt },
    baseline: baseline?.info ?? null,
    checks: final,
    suites: deltas,
    newlyFailing,
    approvals: input.approvals,
    ...(budget === undefined ? {} : { budget: budget.standing }),
  }
}

function skipped(id: string, name: string, why: string, approval: string): GateCheck {
  return {
    id,
    kind: 'baseline',
    name,
    status: 'skipped',
    actual: null,
    limit: null,
    message: `skipped: ${why}`,
    approval,
  }
}

/** A check of `actual` against a minimum or maximum. */
function bound(
  base: Pick<GateCheck, 'id' | 'name' | 'suite' | 'approval'>,
  actual: number | null,
  limit: number | undefined,
  side: 'min' | 'max',
  show: (v: number) => string,
): GateCheck[] {
  if (limit === undefined) return []
  if (actual === null) {
    return [
      {
        ...base,
        kind: 'absolute',
        status: 'skipped',
        actual,
        limit,
        message: `skipped: not measured`,
      },
    ]
  }
  const ok = side === 'min' ? actual >= limit : actual <= limit
  const relation = side === 'min' ? (ok ? '≥' : '<') : ok ? '≤' : '>'
  return [
    {
      ...base,
      kind: 'absolute',
      status: ok ? 'passed' : 'failed',
      actual,
      limit,
      message: `${base.name} ${show(actual)} ${relation} ${side} ${show(limit)}`,
    },
  ]
}

const rate = (v: number) => v.toFixed(3)
const ms = (v: number) => `${Math.round(v)} ms`
const usd = (v: number) => `$${v.toPrecision(3)}`
const pct = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)}%`

function suiteChecks(suite: SuiteResult, rules: GateRules): GateCheck[] {
  // `gate.suites` names config suites: a variant (`support[v2]`) takes its suite's limits.
  const limits = { ...rules.thresholds, ...rules.suites[suite.variant?.suite ?? suite.name] }
  const st = suite.stats
  const at = (key: string, name: string, approval: string) => ({
    id: `suite.${suite.name}.${key}`,
    name,
    suite: suite.name,
    approval,
  })
  const threshold: GateCheck = {
    ...at('threshold', 'suite threshold', 'quality'),
    kind: 'absolute',
    status: st.samples > 0 && suite.pass ? 'passed' : 'failed',
    actual: st.samples === 0 ? null : st.passRate.value,
    limit: suite.threshold,
    message:
      st.samples === 0
        ? 'no samples finished'
        : `pass rate ${rate(st.passRate.value)} [${rate(st.passRate.lower)}, ${rate(st.passRate.upper)}] ${suite.pass ? '≥' : '<'} threshold ${rate(suite.threshold)}`,
  }
  return [
    threshold,
    ...bound(
      at('pass-rate', 'pass rate', 'quality'),
      st.samples === 0 ? null : st.passRate.value,
      limits.passRate,
      'min',
      rate,
    ),
    ...bound(
      at('score', 'mean score', 'quality'),
      st.samples === 0 ? null : st.score.value,
      limits.score,
      'min',
      rate,
    ),
    ...bound(
      at('error-rate', 'error rate', 'quality'),
      st.samples === 0 ? null : st.errors / st.samples,
      limits.errorRate,
      'max',
      rate,
    ),
    ...bound(
      at('latency-p50', 'p50 latency', 'latency'),
      st.latencyMs.p50,
      limits.latencyP50Ms,
      'max',
      ms,
    ),
    ...bound(
      at('latency-p95', 'p95 latency', 'latency'),
      st.latencyMs.p95,
      limits.latencyP95Ms,
      'max',
      ms,
    ),
    ...bound(
      at('cost-per-case', 'cost per case', 'cost'),
      st.costUsd.perCase,
      limits.costPerCaseUsd,
      'max',
      usd,
    ),
  ]
}

function runChecks(current: ResultsDocument, limits: Thresholds): GateCheck[] {
  const s = current.summary
  const at = (key: string, name: string, approval: string) => ({ id: `run.${key}`, name, approval })
  return [
    ...bound(
      at('pass-rate', 'pass rate of the run', 'quality'),
      s.samples === 0 ? null : s.passed / s.samples,
      limits.passRate,
      'min',
      rate,
    ),
    ...bound(
      at('error-rate', 'error rate of the run', 'quality'),
      s.samples === 0 ? null : s.errors / s.samples,
      limits.errorRate,
      'max',
      rate,
    ),
    ...bound(at('total-cost', 'total cost', 'cost'), s.costUsd, limits.totalCostUsd, 'max', usd),
  ]
}

interface Compared {
  readonly checks: GateCheck[]
  readonly deltas: SuiteDelta[]
  readonly newlyFailing: NewlyFailingCase[]
}

/** The comparison with the baseline, suite by suite, cases paired by id. */
function compare(
  current: ResultsDocument,
  baseline: NonNullable<GateInput['baseline']>,
  rules: GateRules,
): Compared {
  const label = baselineLabel(baseline.info)
  const before = new Map(baseline.results.suites.map((s) => [s.name, s]))
  const deltas: SuiteDelta[] = []
  const newlyFailing: NewlyFailingCase[] = []
  const tests: {
    suite: string
    what: 'pass rate' | 'score'
    p: number
    drop: boolean
    detail: string
  }[] = []
  const latency: GateCheck[] = []
  const cost = costTally()
  for (const suite of current.suites) {
    const old = before.get(suite.name)
    if (old === undefined) continue
    const pairs = pairCases(suite, old)
    const delta = suiteDelta(suite, old, pairs)
    deltas.push(delta)
    for (const [now, then] of pairs) {
      if (then.pass && !now.pass) newlyFailing.push(newlyFailingCase(suite.name, now))
    }
    if (pairs.length > 0) {
      const drop = delta.passRate.current < delta.passRate.baseline
      tests.push({
        suite: suite.name,
        what: 'pass rate',
        p: delta.passRate.pValue,
        drop,
        detail: `pass rate ${rate(delta.passRate.baseline)} → ${rate(delta.passRate.current)} over ${pairs.length} paired cases`,
      })
      const scoreP = pairs.length < 2 ? 1 : scorePValue(pairs)
      tests.push({
        suite: suite.name,
        what: 'score',
        p: scoreP,
        drop: delta.score.current < delta.score.baseline,
        detail: `mean score ${rate(delta.score.baseline)} → ${rate(delta.score.current)}`,
      })
    }
    latency.push(latencyCheck(suite.name, delta, rules, label))
    tallySuite(cost, suite, old)
  }
  const checks: GateCheck[] = [costCheck(cost, rules.compare.maxCostIncreasePct, label)]
  checks.push(...qualityChecks(tests, rules.compare.alpha, label))
  checks.push(...latency)
  checks.push(newlyFailingCheck(newlyFailing, rules, label))
  return { checks, deltas, newlyFailing }
}

function baselineLabel(info: BaselineInfo): string {
  if (info.source === 'store' && info.branch !== undefined) return `${info.branch} (${info.runId})`
  return info.runId
}

/** Drops in pass rate and score, Holm-adjusted across every suite's two tests. */
function qualityChecks(
  tests: { suite: string; what: string; p: number; drop: boolean; detail: string }[],
  alpha: number,
  label: string,
): GateCheck[] {
  if (tests.length === 0) return []
  const adjusted = holm(tests.map((t) => t.p))
  return tests.map((t, i) => {
    const p = adjusted[i] as number
    const significant = t.drop && p < alpha
    const key = t.what === 'pass rate' ? 'pass-rate-drop' : 'score-drop'
    return {
      id: `suite.${t.suite}.${key}`,
      kind: 'baseline',
      name: `${t.what} drop vs ${label}`,
      suite: t.suite,
      status: significant ? 'failed' : 'passed',
      actual: p,
      limit: alpha,
      message: `${t.detail}; ${significant ? 'a significant drop' : 'no significant drop'} (Holm-adjusted p = ${p < 0.001 ? p.toExponential(1) : p.toFixed(3)}, α = ${alpha})`,
      approval: 'quality',
    }
  })
}

function latencyCheck(
  suite: string,
  delta: SuiteDelta,
  rules: GateRules,
  label: string,
): GateCheck {
  const limit = rules.compare.maxLatencyP95IncreasePct
  const { baseline, current, changePct } = delta.latencyP95
  const base = {
    id: `suite.${suite}.latency-increase`,
    kind: 'baseline' as const,
    name: `p95 latency increase vs ${label}`,
    suite,
    approval: 'latency',
    limit,
  }
  if (changePct === null || baseline === null || current === null) {
    return { ...base, status: 'skipped', actual: null, message: 'skipped: no latency to compare' }
  }
  const floor = rules.compare.minLatencyIncreaseMs
  const ok = changePct <= limit || current - baseline < floor
  const within = changePct > limit && ok ? `, but under ${floor} ms` : ''
  return {
    ...base,
    status: ok ? 'passed' : 'failed',
    actual: changePct,
    message: `p95 latency ${ms(baseline)} → ${ms(current)} (${pct(changePct)}${within}; limit +${limit}% and +${floor} ms)`,
  }
}

function newlyFailingCase(suite: string, kase: CaseResult): NewlyFailingCase {
  const failed = kase.samples.find((s) => !s.pass)
  const reason =
    failed === undefined
      ? 'fails under the case rule'
      : failed.error !== null
        ? `${failed.error.kind}: ${failed.error.message}`
        : (failed.grades.find((g) => !g.pass)?.reason ?? `score ${failed.score.toFixed(2)}`)
  return {
    suite,
    caseId: kase.id,
    ...(kase.source === undefined ? {} : { source: kase.source }),
    reason,
  }
}

function newlyFailingCheck(cases: NewlyFailingCase[], rules: GateRules, label: string): GateCheck {
  const gated = rules.compare.newlyFailing === 'fail'
  const n = cases.length
  const list = cases
    .slice(0, 5)
    .map((c) => `${c.suite} › ${c.caseId}`)
    .join(', ')
  return {
    id: 'newly-failing',
    kind: 'baseline',
    name: `newly failing cases vs ${label}`,
    status: gated && n > 0 ? 'failed' : 'passed',
    actual: n,
    limit: gated ? 0 : null,
    message:
      n === 0
        ? 'no case that passed in the baseline fails now'
        : `${n} case${n === 1 ? '' : 's'} passed in the baseline and fail now: ${list}${n > 5 ? ', …' : ''}${gated ? '' : ' (reported, not gated)'}`,
    approval: 'quality',
  }
}
