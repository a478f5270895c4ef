import { describe, expect, it } from 'vitest'
import { memoryViewer } from '../../helpers/view-app.js'
import { ResultsCache, viewApp } from '../../../src/workflows/view/index.js'
import {
  caseIds,
  recordRun,
  relLink,
  runId,
  startOf,
  type CaseSpec,
} from '../../helpers/view-runs.js'

const pass = (output: string) => ({ output, pass: true })
const fail = (output: string) => ({ output, pass: false })

/** Run A's cases: `broken` passes here, `fixed` fails, `gone` is only in A. */
const CASES_A: CaseSpec[] = [
  { suite: 'qa', id: 'broken', samples: [pass('The answer is 42, as <b>asked</b>.')] },
  { suite: 'qa', id: 'fixed', samples: [fail('I do not know')] },
  { suite: 'qa', id: 'same', samples: [pass('hello')] },
  { suite: 'qa', id: 'gone', samples: [pass('bye')] },
  { suite: 'old', id: 'o1', samples: [pass('x')] },
]

/** Run B's: `broken` fails, `fixed` passes, `wobbly` turns flaky, `new` is only in B. */
const CASES_B: CaseSpec[] = [
  { suite: 'qa', id: 'broken', samples: [fail('The answer is <i>43</i>, as <b>asked</b>.')] },
  { suite: 'qa', id: 'fixed', samples: [pass('It is Paris')] },
  { suite: 'qa', id: 'same', samples: [pass('hello')] },
  { suite: 'qa', id: 'new', samples: [pass('hi')] },
  { suite: 'extra', id: 'e1', samples: [pass('y')] },
]

describe('the compare page', () => {
  const viewer = memoryViewer()
  const { get, text } = viewer

  it('compares B with its baseline: the newest completed main run started before it', async () => {
    await recordRun(viewer.store, runId(1, 'main01'), {
      startedAt: startOf(1),
      branch: 'main',
      cases: CASES_A,
    })
    await recordRun(viewer.store, runId(2, 'main02'), {
      startedAt: startOf(2),
      branch: 'main',
      cases: CASES_A,
    })
    await recordRun(viewer.store, runId(3, 'main03'), {
      startedAt: startOf(3),
      branch: 'main',
      cases: CASES_B,
      status: 'failed',
    })
    await recordRun(viewer.store, runId(4, 'feat04'), {
      startedAt: startOf(4),
      branch: 'feature',
      cases: CASES_B,
    })
    await recordRun(viewer.store, runId(5, 'main05'), {
      startedAt: startOf(5),
      branch: 'main',
      cases: CASES_B,
    })
    const res = await get(`/compare?b=${runId(4, 'feat04')}`)
    expect(res.status).toBe(200)
    const body = await res.text()
    expect(body).toMatch(new RegExp(`A <a href="/runs/${runId(2, 'main02')}"`))
    expect(body).toMatch(new RegExp(`B <a href="/runs/${runId(4, 'feat04')}"`))
    expect(body).toContain('newest completed run on branch')
    expect(caseIds(body)).toEqual(['broken', 'fixed'])
    // Another base branch: none before B there.
    const none = await text(`/compare?b=${runId(4, 'feat04')}&base=release`)
    expect(none).toContain('no baseline for')
    expect(caseIds(none)).toEqual([])
    // A project whose gate.baseline is another branch: the viewer looks there by default.
    const trunk = viewApp({
      store: viewer.store,
      results: new ResultsCache(viewer.store),
      token: null,
      loopback: true,
      baseBranch: 'feature',
    })
    const ofTrunk = await (
      await trunk.request(`http://127.0.0.1/compare?b=${runId(5, 'main05')}`)
    ).text()
    expect(ofTrunk).toMatch(new RegExp(`A <a href="/runs/${runId(4, 'feat04')}"`))
    expect(ofTrunk).toContain('value="feature"')
  })

  it('shows broken and fixed cases side by side with the diff marked and escaped', async () => {
    await recordRun(viewer.store, runId(1), {
      startedAt: startOf(1),
      branch: 'main',
      cases: CASES_A,
    })
    await recordRun(viewer.store, runId(2, 'bbbbbb'), {
      startedAt: startOf(2),
      branch: 'pr',
      cases: CASES_B,
    })
    const body = await text(`/compare?a=${runId(1)}&b=${runId(2, 'bbbbbb')}`)
    const broken =
      /<details\s+class="changed"\s+data-change="broken"[\s\S]*?<\/details>/.exec(body)?.[0] ?? ''
    expect(broken).toContain('data-case="broken"')
    // A's side: 42 deleted; B's side: the italic 43 inserted; both escaped, never markup.
    expect(broken).toMatch(/<div class="before">[\s\S]*<del>42<\/del>[\s\S]*<div class="after">/)
    expect(broken).toMatch(/<div class="after">[\s\S]*<ins>&lt;i&gt;43&lt;\/i&gt;<\/ins>/)
    expect(broken).toContain('as &lt;b&gt;asked&lt;/b&gt;.')
    expect(body).not.toContain('<b>asked')
    expect(body).not.toContain('<i>43')
    expect(broken).toContain(`href="/runs/${runId(1)}/case?suite=qa&amp;case=broken"`)
    expect(broken).toContain(`href="/runs/${runId(2, 'bbbbbb')}/case?suite=qa&amp;case=broken"`)
    expect(body).toContain('data-change="fixed"')
    // Unchanged counts, cases and suites in one run only.
    expect(body).toMatch(/<tr data-suite="qa">[\s\S]*?data-count="unchanged">1</)
    expect(body).toMatch(/data-count="added">1<[\s\S]*?data-count="removed">1</)
    expect(body).toContain('suites only in A: old')
    expect(body).toContain('suites only in B: extra')
    expect(body).toMatch(/added in B \(qa\): new/)
    expect(body).toMatch(/removed in B \(qa\): gone/)
    expect(body).toMatch(
      /Δ pass rate \[95% CI\][\s\S]*?[+-]\d\.\d{3} \[[+-]\d\.\d{3}, [+-]\d\.\d{3}\]/,
    )
  })

  it('filters the changed cases by kind and pages them', async () => {
    const many = (verdict: (i: number) => boolean) =>
      Array.from({ length: 130 }, (_, i) => ({
        suite: 'qa',
        id: `c${String(i).padStart(3, '0')}`,
        samples: [{ output: `answer ${i}`, pass: verdict(i) }],
      }))
    await recordRun(viewer.store, runId(1), {
      startedAt: startOf(1),
      branch: 'main',
      cases: many(() => true),
    })
    await recordRun(viewer.store, runId(2, 'bbbbbb'), {
      startedAt: startOf(2),
      branch: 'pr',
      cases: many((i) => i % 2 === 1),
    })
    const base = `/compare?a=${runId(1)}&b=${runId(2, 'bbbbbb')}`
    const first = await text(`${base}&change=broken`)
    expect(caseIds(first)).toHaveLength(50)
    expect(first).toContain('broken (65)')
    const next = relLink(first, 'next') ?? ''
    expect(next).toContain('change=broken&page=2')
    const second = caseIds(await text(next))
    expect(second).toHaveLength(15)
    expect(second[0]).toBe('c100')
    expect(caseIds(await text(`${base}&change=fixed`))).toEqual([])
  })

  it('shows the form without runs, and refuses unknown runs and half a pair', async () => {
    const form = await get('/compare')
    expect(form.status).toBe(200)
    const body = await form.text()
    expect(body).toMatch(/<form[^>]*action="\/compare"/)
    expect(body).toContain('name="a"')
    expect(body).toContain('name="b"')
    const missing = await get('/compare?b=20991231-000000-zzzzzz')
    expect(missing.status).toBe(404)
    expect(await missing.text()).toContain('no run matches')
    expect((await get('/compare?a=latest')).status).toBe(400)
    expect((await get('/compare?b=latest&change=same')).status).toBe(400)
  })
})
