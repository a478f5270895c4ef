import { describe, expect, it } from 'vitest'
import { memoryViewer } from '../../helpers/view-app.js'
import { OUTPUT_PREVIEW } from '../../../src/reporters/view/case.js'
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

/** 250 cases over two suites: 25 fail (i % 10 = 3), 10 are flaky (i % 25 = 7). */
function bigRun(): CaseSpec[] {
  return Array.from({ length: 250 }, (_, i) => {
    const id = `case-${String(i).padStart(3, '0')}`
    const samples =
      i % 10 === 3
        ? [fail(`wrong ${i}`), fail(`wrong again ${i}`)]
        : i % 25 === 7
          ? [pass(`right ${i}`), pass(`right ${i}`), fail(`slip ${i}`)]
          : [pass(`right ${i}`), pass(`right again ${i}`)]
    const topic = i % 50 === 0 ? 'refunds' : 'shipping'
    return { suite: i < 150 ? 'alpha' : 'beta', id, vars: { n: i, topic }, samples }
  })
}

describe('the run page', () => {
  const viewer = memoryViewer()
  const { get, text } = viewer

  it('lists failing cases first, then flaky, then passing, failing ones open', async () => {
    await recordRun(viewer.store, runId(1), {
      startedAt: startOf(1),
      branch: 'feature/x',
      cases: [
        { suite: 'alpha', id: 'p1', samples: [pass('fine'), pass('fine')] },
        { suite: 'alpha', id: 'f1', samples: [fail('bad'), fail('bad')] },
        { suite: 'alpha', id: 'k1', samples: [pass('ok'), pass('ok'), fail('not ok')] },
        { suite: 'beta', id: 'f2', samples: [fail('bad'), fail('worse')] },
        { suite: 'beta', id: 'p2', samples: [pass('fine'), pass('fine')] },
      ],
    })
    const res = await get(`/runs/${runId(1)}`)
    expect(res.status).toBe(200)
    const body = await res.text()
    expect(caseIds(body)).toEqual(['f1', 'f2', 'k1', 'p1', 'p2'])
    expect(body).toMatch(/data-case="f1"\s+data-status="fail"\s+open/)
    expect(body).toMatch(/data-case="p1"\s+data-status="pass"\s*>/)
    // The suites' statistics, with intervals, and the links out.
    expect(body).toMatch(/<tr data-suite="alpha">[\s\S]*?\d\.\d\d \[\d\.\d\d, \d\.\d\d\]/)
    expect(body).toContain(`href="/compare?b=${runId(1)}"`)
    expect(body).toContain('href="/?branch=feature%2Fx"')
  })

  it('pages the cases, keeping the filters, and clamps a page past the last', async () => {
    await recordRun(viewer.store, runId(2), {
      startedAt: startOf(2),
      branch: 'main',
      cases: bigRun(),
    })
    const first = await text(`/runs/${runId(2)}`)
    const ids = caseIds(first)
    expect(ids).toHaveLength(50)
    // 25 failing cases (i % 10 === 3), then the 10 flaky ones, then passing.
    expect(ids.slice(0, 3)).toEqual(['case-003', 'case-013', 'case-023'])
    expect(ids[25]).toBe('case-007')
    expect(first).toContain('page 1 of 5 (250 cases)')
    const pages = [ids]
    let page = first
    for (let link = relLink(page, 'next'); link !== undefined; link = relLink(page, 'next')) {
      page = await text(link)
      pages.push(caseIds(page))
    }
    expect(pages.map((p) => p.length)).toEqual([50, 50, 50, 50, 50])
    expect(caseIds(await text(`/runs/${runId(2)}?page=99`))).toEqual(pages[4])
    expect(new Set(pages.flat()).size).toBe(250)
    const passing = await text(`/runs/${runId(2)}?status=pass&suite=alpha`)
    expect(relLink(passing, 'next')).toContain('status=pass&suite=alpha&page=2')
  })

  it('filters by status, suite and text in ids, vars and outputs', async () => {
    await recordRun(viewer.store, runId(3), {
      startedAt: startOf(3),
      branch: 'main',
      cases: bigRun(),
    })
    const ref = `/runs/${runId(3)}`
    const failing = caseIds(await text(`${ref}?status=fail`))
    expect(failing).toHaveLength(25)
    expect(failing.every((id) => Number(id.slice(5)) % 10 === 3)).toBe(true)
    expect(caseIds(await text(`${ref}?status=flaky`))).toHaveLength(10)
    const beta = caseIds(await text(`${ref}?status=fail&suite=beta`))
    expect(beta).toEqual(failing.filter((id) => Number(id.slice(5)) >= 150))
    expect(caseIds(await text(`${ref}?q=WRONG+AGAIN+13`))).toEqual(['case-013', 'case-133'])
    expect(caseIds(await text(`${ref}?q=case-24`))).toHaveLength(10)
    expect(caseIds(await text(`${ref}?q=refunds`))).toEqual(
      ['000', '050', '100', '150', '200'].map((n) => `case-${n}`),
    )
    expect(caseIds(await text(`${ref}?q=slip 7`))).toEqual(['case-007'])
    expect(await text(`${ref}?q=nothing-like-this`)).toContain('No cases match.')
    const bad = await get(`${ref}?status=broken`)
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('unknown case status')
  })

  it('shows every grade with its reason, the judge, cost, tokens and latency, all escaped', async () => {
    await recordRun(viewer.store, runId(4), {
      startedAt: startOf(4),
      branch: 'main',
      cases: [
        {
          suite: 'alpha',
          id: 'x<y>',
          vars: { q: '<img src=x onerror=alert(1)>' },
          samples: [
            {
              output: '<script>alert(1)</script>',
              pass: false,
              reason: 'no "<b>" here',
              judged: true,
            },
          ],
        },
      ],
    })
    const body = await text(`/runs/${runId(4)}`)
    expect(body).not.toContain('<script>alert')
    expect(body).not.toContain('<img src=x')
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(body).toContain('data-case="x&lt;y&gt;"')
    expect(body).toContain('no &quot;&lt;b&gt;&quot; here')
    expect(body).toContain('the judge finds it wrong')
    expect(body).toMatch(/openai:gpt-4o-mini · \$0\.00021 ·\s+321 ms/)
    expect(body).toContain('120 in / 30 out')
    expect(body).toContain('400 ms')
  })

  it('answers an unknown run with 404, and resolves latest and a prefix', async () => {
    await recordRun(viewer.store, runId(5), {
      startedAt: startOf(5),
      branch: 'main',
      cases: bigRun(),
    })
    const missing = await get('/runs/20991231-000000-zzzzzz')
    expect(missing.status).toBe(404)
    expect(await missing.text()).toContain('no run matches')
    expect(await text('/runs/latest')).toContain(runId(5))
    expect((await get(`/runs/${runId(5).slice(0, 15)}`)).status).toBe(200)
    expect((await get(`/runs/${runId(5)}?suite=gamma`)).status).toBe(404)
  })

  it('cuts long outputs in the list and shows them whole on the case page', async () => {
    const long = `${'word '.repeat(OUTPUT_PREVIEW)}THE END`
    await recordRun(viewer.store, runId(6), {
      startedAt: startOf(6),
      branch: 'main',
      cases: [{ suite: 'alpha', id: 'long one', samples: [fail(long), pass('short')] }],
    })
    const list = await text(`/runs/${runId(6)}`)
    expect(list).not.toContain('THE END')
    const href = /href="([^"]+)">the whole output on the case page/.exec(list)?.[1]
    expect(href).toBe(`/runs/${runId(6)}/case?suite=alpha&amp;case=long+one`)
    const page = await get((href ?? '').replaceAll('&amp;', '&'))
    expect(page.status).toBe(200)
    const body = await page.text()
    expect(body).toContain('THE END')
    expect(body).toContain('data-sample="1"')
    expect(body).toContain(`href="/compare?b=${runId(6)}"`)
    expect((await get(`/runs/${runId(6)}/case?suite=alpha&case=nope`)).status).toBe(404)
    expect((await get(`/runs/${runId(6)}/case`)).status).toBe(400)
  })
})
