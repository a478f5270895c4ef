/**
 * XSS payloads for the HTML report's and the viewer's tests: script, event-handler,
 * `javascript:` URL and markdown-image payloads, and runs that carry them in every field a
 * page shows (outputs, vars, case ids, suite names, judge reasons, branch names, errors).
 */
import type { CaseInfo, ResultsDocument, SampleResult } from '../../src/contracts/results.js'
import type { Store } from '../../src/contracts/store.js'
import { buildResults } from '../../src/core/eval/aggregate.js'
import { completedRun, sampleResult, suiteInfo } from './results.js'

export const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">click</a>',
  '![x](javascript:alert(1))',
  '"><svg onload=alert(1)>',
  "'><iframe src=javascript:alert(1)>",
]
/** A suite name that is a payload too. */
export const SUITE = `suite ${PAYLOADS[4]}`
/** Every payload in one string. */
export const ALL = PAYLOADS.join(' | ')

/** What a run is made of: the input of `buildResults`. */
type RunInput = Parameters<typeof buildResults>[0]

/** One case per payload, its id the payload; its var, output and judge reason all payloads. */
export function payloadInput(
  id: string,
  pass: (i: number) => boolean,
  startedAt = '2026-11-30T12:00:00.000Z',
): RunInput {
  const cases: (CaseInfo & { suite: string })[] = PAYLOADS.map((p) => ({
    suite: SUITE,
    id: p,
    description: p,
    vars: { text: ALL, [p]: p },
    tags: [],
  }))
  const samples: SampleResult[] = PAYLOADS.map((p, i) =>
    sampleResult({
      suite: SUITE,
      caseId: p,
      output: `${id}: ${ALL}`,
      pass: pass(i),
      score: pass(i) ? 1 : 0,
      grades: [{ type: 'llm-rubric', pass: pass(i), score: 0, reason: ALL, weight: 1 }],
      error: pass(i) ? null : { kind: 'assertion', message: ALL },
    }),
  )
  const git = { commit: 'abc', branch: PAYLOADS[0] ?? '', dirty: false }
  return {
    run: completedRun({ id, startedAt, finishedAt: startedAt, git }),
    suites: [suiteInfo({ name: SUITE })],
    cases,
    samples,
  }
}

/** {@link payloadInput} as a results document. */
export function payloadRun(id: string, pass: (i: number) => boolean): ResultsDocument {
  return buildResults(payloadInput(id, pass))
}

/** Writes a run into `store` as an eval would: planned, its samples, ended. */
export async function storeRun(store: Store, input: RunInput): Promise<void> {
  const { run, suites, cases, samples } = input
  await store.runs.create({ ...run, suites, owner: null }, cases)
  await store.runs.appendSamples(run.id, samples)
  await store.runs.finish(run.id, {
    status: 'completed',
    finishedAt: run.finishedAt ?? run.startedAt,
    summary: buildResults(input).summary,
  })
}

/** Elements that could run script, load something, or navigate. */
export const ACTIVE =
  'script, img, svg, iframe, object, embed, a, link, form, base, meta[http-equiv="refresh"]'
/** Opens every `<details>`, so what is inside would run or load too. */
export const OPEN_ALL = "for (const d of document.querySelectorAll('details')) d.open = true"
/** Every event-handler, href or src attribute on the page, as `tag@name=value`. */
export const ACTIVE_ATTRIBUTES = `[...document.querySelectorAll('*')].flatMap((e) =>
  e.getAttributeNames()
    .filter((n) => n.startsWith('on') || n === 'href' || n === 'src' || n === 'action' || n === 'formaction')
    .map((n) => e.tagName + '@' + n + '=' + e.getAttribute(n)))`
/** Adds an inline script after load: a page's CSP must refuse it. */
export const ADD_SCRIPT = `{ const s = document.createElement('script'); s.textContent = 'alert(2)'; document.body.append(s) }`
