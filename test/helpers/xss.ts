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

/** The release and deployments {@link storeDeploys} writes. */
export const XSS_RELEASE = 'rel-0000000000aa'
export const XSS_CANARY = 'dep-xss-canary'
export const XSS_ROLLBACK = 'dep-xss-rollback'
/** The target name of those deployments: a payload. */
export const TARGET = `prod ${PAYLOADS[1]}`

/**
 * A release whose name, branch, prompt and provider names, paths, params and settings are
 * payloads, and two deployments of it to a payload-named target: a canary whose step lines
 * carry payloads, and a rolled-back deploy whose reason and rollback detail are payloads.
 */
export async function storeDeploys(store: Store): Promise<void> {
  const at = '2026-12-02T12:00:00.000Z'
  await store.releases.save({
    id: XSS_RELEASE,
    name: PAYLOADS[1] ?? '',
    createdAt: at,
    code: { commit: 'abc', branch: PAYLOADS[0] ?? '', dirty: false },
    prompts: { [PAYLOADS[2] ?? '']: { hash: 'sha256:aa', path: PAYLOADS[3] ?? '' } },
    models: { [PAYLOADS[4] ?? '']: { type: 'http', model: PAYLOADS[5] ?? '', params: { x: ALL } } },
    flags: { path: ALL, hash: 'sha256:bb' },
    configHash: 'sha256:cc',
    env: { PROMPT_VERSION: ALL },
  })
  const step = (name: 'canary' | 'rollback' | 'notify', detail: string) => ({
    name,
    status: 'passed' as const,
    startedAt: at,
    finishedAt: at,
    detail,
  })
  const base = {
    target: TARGET,
    releaseId: XSS_RELEASE,
    startedAt: at,
    finishedAt: at,
    owner: null,
  }
  await store.deployments.begin({
    ...base,
    id: XSS_CANARY,
    previousReleaseId: null,
    strategy: 'canary',
    status: 'succeeded',
    reason: null,
    steps: [
      step(
        'canary',
        [
          `1/2 set the canary's weight to 10%: ${ALL}`,
          ALL,
          `2/2 analyze for 1m, every 1m: passed: ${ALL}`,
        ].join('\n'),
      ),
      step('notify', ALL),
    ],
    alerts: [
      {
        type: 'deploy.succeeded',
        severity: 'info',
        summary: ALL,
        at,
        notifiers: [
          { name: PAYLOADS[1] ?? '', ok: true },
          { name: PAYLOADS[2] ?? '', ok: false, error: ALL },
        ],
      },
    ],
  })
  await store.deployments.begin({
    ...base,
    id: XSS_ROLLBACK,
    previousReleaseId: XSS_RELEASE,
    strategy: 'replace',
    status: 'rolled_back',
    reason: ALL,
    steps: [step('rollback', ALL)],
  })
}
