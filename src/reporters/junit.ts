import { plainText } from '../utils/sanitize.js'
import type {
  CaseResult,
  Estimate,
  ResultsDocument,
  SampleResult,
  SuiteResult,
} from '../contracts/results.js'

/**
 * JUnit XML as GitHub and GitLab read it: a `testsuite` per suite with its statistics as
 * properties, a `testcase` per case; a failing case carries the failing samples' reasons, a case
 * whose every sample errored is an `error`.
 */
export function renderJunit(results: ResultsDocument): string {
  const s = results.summary
  const seconds = ((s.durationMs ?? 0) / 1000).toFixed(3)
  const suites = results.suites.map((suite) => renderSuite(suite, results.run.startedAt))
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="shipgate" tests="${count(results, () => true)}" failures="${count(results, isFailure)}" errors="${count(results, isError)}" time="${seconds}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n')
}

function renderSuite(suite: SuiteResult, timestamp: string): string {
  const cases = suite.cases.filter((c) => c.samples.length > 0)
  const time = cases.reduce((t, c) => t + caseSeconds(c), 0)
  const st = suite.stats
  const props: [string, string | number | null][] = [
    ...variantProps(suite),
    ['provider', suite.provider.id],
    ['prompt.version', `${suite.prompt.name}@${suite.prompt.version}`],
    ['repeat', suite.repeat],
    ['threshold', suite.threshold],
    ['passRate', st.passRate.value],
    ['passRate.lower', st.passRate.lower],
    ['passRate.upper', st.passRate.upper],
    ['score', st.score.value],
    ['score.lower', st.score.lower],
    ['score.upper', st.score.upper],
    ['latency.p50.ms', st.latencyMs.p50],
    ['latency.p95.ms', st.latencyMs.p95],
    ['cost.usd', st.costUsd.total],
    ['cases.passed', st.casesPassed],
    ['cases.flaky', st.flaky],
    ['samples.reused', st.reused],
    ...estimateProps(`pass@${st.passAtK?.k}`, st.passAtK?.passAtK),
    ...estimateProps(`pass^${st.passAtK?.k}`, st.passAtK?.passHatK),
    ...Object.entries(st.metrics).flatMap(([name, m]) => estimateProps(`metric.${name}`, m.mean)),
    ['judge.calls', st.judge.calls],
    ['judge.cost.usd', st.judge.costUsd],
  ]
  return [
    `  <testsuite name="${attr(suite.name)}" tests="${cases.length}" failures="${cases.filter(isFailure).length}" errors="${cases.filter(isError).length}" skipped="0" time="${time.toFixed(3)}" timestamp="${attr(timestamp)}">`,
    '    <properties>',
    ...props.map(
      ([name, value]) =>
        `      <property name="${name}" value="${attr(value === null ? 'null' : String(value))}"/>`,
    ),
    '    </properties>',
    ...cases.map((c) => renderCase(suite.name, c)),
    '  </testsuite>',
  ].join('\n')
}

/** A variant's name, its configured suite and its prompt; none for a suite without variants. */
function variantProps(suite: SuiteResult): [string, string][] {
  if (suite.variant === undefined) return []
  return [
    ['variant', suite.variant.name],
    ['variant.suite', suite.variant.suite],
    ['prompt', suite.prompt.name],
  ]
}

/** A value and its interval as three properties; none when there is no estimate. */
function estimateProps(name: string, e: Estimate | undefined): [string, string | number | null][] {
  if (e === undefined) return []
  return [
    [name, e.value],
    [`${name}.lower`, e.lower],
    [`${name}.upper`, e.upper],
  ]
}

function renderCase(suite: string, kase: CaseResult): string {
  const where =
    kase.source === undefined ? '' : ` file="${attr(kase.source.file)}" line="${kase.source.line}"`
  const open = `    <testcase classname="${attr(suite)}" name="${attr(kase.id)}" time="${caseSeconds(kase).toFixed(3)}"${where}>`
  const failing = kase.samples.filter((s) => !s.pass)
  const reused = kase.samples.some((s) => s.reused === true)
    ? '\n      <properties><property name="reused" value="true"/></properties>'
    : ''
  if (failing.length === 0 || kase.pass) {
    return reused === '' ? `${open}</testcase>` : `${open}${reused}\n    </testcase>`
  }
  const tag = isError(kase) ? 'error' : 'failure'
  const first = failing[0] as SampleResult
  const message = `${failing.length}/${kase.samples.length} samples failed: ${sampleReason(first)}`
  const body = failing.map(
    (s) =>
      `sample ${s.sample}: ${sampleReason(s)}${s.output === null ? '' : `\noutput: ${s.output}`}`,
  )
  return [
    `${open}${reused}`,
    `      <${tag} message="${attr(message)}" type="${attr(first.error?.kind ?? 'assertion')}">${text(body.join('\n\n'))}</${tag}>`,
    '    </testcase>',
  ].join('\n')
}

function sampleReason(s: SampleResult): string {
  if (s.error !== null) return `${s.error.kind}: ${s.error.message}`
  return (
    s.grades
      .filter((g) => !g.pass)
      .map((g) => `${g.type}: ${g.reason}`)
      .join('; ') || `score ${s.score.toFixed(2)} below the case threshold`
  )
}

function isFailure(kase: CaseResult): boolean {
  return kase.samples.length > 0 && !kase.pass && !isError(kase)
}

function isError(kase: CaseResult): boolean {
  return kase.samples.length > 0 && kase.samples.every((s) => s.error !== null)
}

function count(results: ResultsDocument, test: (c: CaseResult) => boolean): number {
  return results.suites.reduce(
    (n, s) => n + s.cases.filter((c) => c.samples.length > 0 && test(c)).length,
    0,
  )
}

function caseSeconds(kase: CaseResult): number {
  return kase.samples.reduce((t, s) => t + (s.latencyMs ?? 0), 0) / 1000
}

// XML 1.0 forbids most control characters even when escaped; model output may contain them.
// The others that drive a terminal or reorder text (ESC, DEL, bidi overrides) go too.
const INVALID_XML = /[\ufffe\uffff]/g

function text(value: string): string {
  return plainText(value)
    .replace(INVALID_XML, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
}

function attr(value: string): string {
  return text(value)
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;')
}
