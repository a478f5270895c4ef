/**
 * The contract every run reporter passes (src/contracts/reporter.ts): it takes a run's events —
 * start, every sample, end — without throwing, for a run with passing, failing, errored, flaky,
 * judged and unpriced cases and odd strings, and for an empty run; what it writes is valid for
 * its format (JSON that parses back to the results, JUnit a consumer reads, markdown whose
 * tables keep their shape, text without control characters); every case id appears where the
 * format lists cases; and behind the multiplexer, next to reporters that throw, it writes the
 * same as alone.
 */
import { parse as parseJunit, type TestSuites } from 'junit2json'
import { describe, expect, it } from 'vitest'
import type { Reporter } from '../../src/contracts/reporter.js'
import type { ResultsDocument, SampleResult, SuiteResult } from '../../src/contracts/results.js'
import { buildResults } from '../../src/core/eval/aggregate.js'
import { createLogger } from '../../src/logger.js'
import { multiplex } from '../../src/reporters/multiplex.js'
import { completedRun, sampleResult, suiteInfo } from '../helpers/results.js'
import { fixtureResults } from '../reporters/fixtures.js'

/** What a reporter writes. */
export type ReporterFormat = 'json' | 'junit' | 'markdown' | 'html' | 'text'

/** One reporter under the contract. */
export interface ReporterHarness {
  readonly format: ReporterFormat
  /** Which cases its output names: all of them, the failing ones, or none (progress). */
  readonly lists: 'every' | 'failing' | 'none'
  /** A fresh reporter, and what it has written so far (a file, a stream). */
  make(): { readonly reporter: Reporter; written(): Promise<string> }
}

/** Odd strings for names and ids: markup, table syntax, CDATA's end, non-Latin text. */
const ODD_SUITE = 'odd <suite> & "co" | *bold* `tick` ]]> — ünïcødé 🚀'
const ODD_IDS = ['case <1> & "two"', 'pipe | star * under_score', '🚀 ]]> ünïcødé']
/** Untrusted text with control characters and a lone surrogate, for outputs and reasons. */
const WILD = '<script>alert(1)</script> \u0007bell \u001b[31mred\u001b[0m \ud800 line\nbreak'

/** The shared fixture run (passing, failing, errored, flaky, judged) plus odd and unpriced cases. */
export function contractRun(): ResultsDocument {
  const fixture = fixtureResults()
  const odd = suiteInfo({ name: ODD_SUITE, repeat: 2, k: 2 })
  const samples: SampleResult[] = ODD_IDS.flatMap((caseId, i) =>
    [0, 1].map((sample) => oddSample(caseId, i, sample)),
  )
  return buildResults({
    run: completedRun({ id: 'run-contract' }),
    suites: [...fixture.suites.map(infoOf), odd],
    cases: [
      ...fixture.suites.flatMap((s) =>
        s.cases.map(({ samples: _, ...c }) => ({ ...c, suite: s.name })),
      ),
      ...ODD_IDS.map((id) => ({ suite: ODD_SUITE, id, vars: { text: WILD }, tags: ['odd'] })),
    ],
    samples: [...fixture.suites.flatMap((s) => s.cases.flatMap((c) => c.samples)), ...samples],
  })
}

/** Odd case `i`: the first passes unpriced, the second fails on wild text, the third errors. */
function oddSample(caseId: string, i: number, sample: number): SampleResult {
  const base = { suite: ODD_SUITE, caseId, sample, costUsd: null, latencyMs: 40 + sample }
  const usage = { input: 10, output: 5, cacheRead: 0, cacheWrite: 0, reasoning: 0 }
  if (i === 0) return sampleResult({ ...base, output: WILD, usage })
  if (i === 2) {
    const error = { kind: 'timeout' as const, message: `no answer: ${WILD}` }
    return sampleResult({ ...base, output: null, pass: false, score: 0, error, latencyMs: null })
  }
  const pass = sample === 0
  const reason = `output does not contain "x": ${WILD}`
  const grades = [{ type: 'contains', pass, score: pass ? 1 : 0, reason, weight: 1 }]
  return sampleResult({ ...base, output: WILD, pass, score: pass ? 1 : 0, grades, usage })
}

function infoOf({ name, provider, prompt, threshold, repeat, casePass, k }: SuiteResult) {
  return { name, provider, prompt, threshold, repeat, casePass, k }
}

/** A run that planned nothing. */
export function emptyRun(): ResultsDocument {
  return buildResults({
    run: completedRun({ id: 'run-empty' }),
    suites: [],
    cases: [],
    samples: [],
  })
}

/** Plays a run's events to `reporter`: start, each sample, end. */
export async function play(reporter: Reporter, results: ResultsDocument): Promise<void> {
  const samples = results.suites.flatMap((s) => s.cases.flatMap((c) => c.samples))
  await reporter.onRunStart?.({
    runId: results.run.id,
    suites: results.suites.map(infoOf),
    totalSamples: samples.length,
  })
  for (const sample of samples) reporter.onSample?.(sample)
  await reporter.onRunEnd?.(results)
}

/** Runs the contract against the reporter `harness` makes. */
export function reporterContract(name: string, harness: ReporterHarness): void {
  describe(`${name} (reporter contract)`, () => {
    const written = async (results: ResultsDocument): Promise<string> => {
      const { reporter, written } = harness.make()
      await play(reporter, results)
      return written()
    }

    it('takes a run with every kind of case and odd strings; writes its format', async () => {
      const results = contractRun()
      await VALID[harness.format](await written(results), results)
    })

    it('takes an empty run; writes its format', async () => {
      const results = emptyRun()
      await VALID[harness.format](await written(results), results)
    })

    const every = harness.lists === 'every'
    const lists = harness.lists === 'none' ? skipWhy('it lists no cases') : it
    lists(every ? 'names every case id, in order' : 'names every failing case', async () => {
      const results = contractRun()
      const listed = await LISTED[harness.format](await written(results))
      const expected = results.suites.flatMap((s) =>
        s.cases.filter((c) => every || !c.pass).map((c) => c.id),
      )
      expect(expected.length).toBeGreaterThan(3)
      if (every) expect(listed).toEqual(expected)
      else for (const id of expected) expect(listed.join('\n')).toContain(id)
    })

    it('writes the same behind the multiplexer, next to reporters that throw', async () => {
      const results = contractRun()
      const alone = await written(results)
      const { reporter, written: muxed } = harness.make()
      const logged: string[] = []
      const mux = multiplex([...THROWING, reporter], createLogger({ write: (l) => logged.push(l) }))
      await play({ name: 'mux', ...mux }, results)
      expect(await muxed()).toBe(alone)
      expect(logged).toEqual([
        'error: reporter throws-on-sample failed in onSample and is disabled: disk full',
        'error: reporter rejects-on-end failed in onRunEnd and is disabled: EACCES',
      ])
    })
  })
}

/** A skipped clause whose title says why. */
function skipWhy(why: string): (title: string, body: () => Promise<void>) => void {
  return (title, body) => it.skip(`${title} [${why}]`, body)
}

/** Reporters that break, in the two ways a reporter can. */
const THROWING: readonly Reporter[] = [
  {
    name: 'throws-on-sample',
    onSample: () => {
      throw new Error('disk full')
    },
  },
  { name: 'rejects-on-end', onRunEnd: () => Promise.reject(new Error('EACCES')) },
]

/** Checks that output is valid for its format and says what the results say. */
const VALID: Record<ReporterFormat, (out: string, results: ResultsDocument) => Promise<void>> = {
  json: (out, results) => {
    expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(results)))
    return Promise.resolve()
  },
  junit: async (out, results) => {
    expect(out).not.toMatch(INVALID_XML)
    const doc = await junit(out)
    expect(doc.testsuite?.map((s) => s.name) ?? []).toEqual(results.suites.map((s) => s.name))
    expect(doc.tests).toBe(results.suites.reduce((n, s) => n + s.cases.length, 0))
  },
  markdown: (out, results) => {
    // Untrusted text is escaped: it cannot open an HTML element.
    expect(out).not.toContain('<script')
    const readable = unescapeMarkdown(out)
    for (const suite of results.suites) expect(readable).toContain(suite.name)
    // Every table row keeps its header's columns: no untrusted `|` splits a cell.
    const rows = out.split('\n').filter((line) => line.startsWith('|'))
    const columns = new Set(rows.map((row) => row.split(/(?<!\\)\|/).length))
    expect(columns.size).toBeLessThanOrEqual(1)
    return Promise.resolve()
  },
  html: (out, results) => {
    // Untrusted text is escaped: it cannot open an element.
    expect(out.startsWith('<!doctype html>')).toBe(true)
    expect(out).not.toMatch(/<(script|img|svg|iframe)/i)
    const readable = unescapeHtml(out)
    for (const suite of results.suites) expect(readable).toContain(suite.name)
    return Promise.resolve()
  },
  text: (out) => {
    // A TTY progress bar redraws its line; nothing else may steer the terminal.
    const plain = out.replaceAll('\r\u001b[2K', '')
    // eslint-disable-next-line no-control-regex
    expect(plain).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/)
    return Promise.resolve()
  },
}

/** The case ids (or, for summaries, the readable text) of an output, in order. */
const LISTED: Record<ReporterFormat, (out: string) => Promise<string[]>> = {
  json: (out) =>
    Promise.resolve(
      (JSON.parse(out) as ResultsDocument).suites.flatMap((s) => s.cases.map((c) => c.id)),
    ),
  junit: async (out) =>
    ((await junit(out)).testsuite ?? []).flatMap((s) =>
      (s.testcase ?? []).map((c) => c.name ?? ''),
    ),
  markdown: (out) => Promise.resolve([unescapeMarkdown(out)]),
  html: (out) => Promise.resolve([unescapeHtml(out)]),
  text: (out) => Promise.resolve([out]),
}

// XML 1.0 forbids these even escaped.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/

/** JUnit as a consumer (junit2json, on xml2js) reads it; the root must be `testsuites`. */
async function junit(out: string): Promise<TestSuites> {
  const doc = await parseJunit(out)
  if (doc === null || doc === undefined || 'testcase' in doc) {
    return expect.fail(`no <testsuites> root: ${out.slice(0, 200)}`)
  }
  return doc
}

/** What a reader of rendered markdown sees of escaped text. */
function unescapeMarkdown(text: string): string {
  return text
    .replace(/\\(.)/g, '$1')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&')
}

/** What a browser shows of escaped HTML text. */
function unescapeHtml(text: string): string {
  return text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&#96;', '`')
    .replaceAll('&amp;', '&')
}
