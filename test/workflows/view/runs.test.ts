import { describe, expect, it } from 'vitest'
import { memoryViewer } from '../../helpers/view-app.js'
import type { Store } from '../../../src/contracts/store.js'
import { newRun, runEnd } from '../../contract/store.contract.js'

/** Runs r000 … r{n-1}, a minute apart, alternating branches main and feature. */
async function seed(store: Store, n: number): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    const id = `20261201-${String(i).padStart(6, '0')}-aaaaaa`
    const startedAt = new Date(Date.UTC(2026, 11, 1, 0, i)).toISOString()
    const branch = i % 2 === 0 ? 'main' : 'feature'
    await store.runs.create(
      newRun(id, { startedAt, git: { commit: 'c0ffee', branch, dirty: false } }),
      [],
    )
    await store.runs.finish(id, runEnd(i % 5 === 0 ? 'failed' : 'completed'))
    ids.push(id)
  }
  return ids.reverse()
}

function rowsOf(body: string): string[] {
  return [...body.matchAll(/<tr data-run="([^"]+)"/g)].map((m) => m[1] ?? '')
}

describe('the runs page', () => {
  const viewer = memoryViewer()
  const { get } = viewer

  it('lists runs newest first and pages older and newer by cursor', async () => {
    const ids = await seed(viewer.store, 7)
    const first = await get('/?limit=3')
    expect(first.status).toBe(200)
    const body = await first.text()
    expect(rowsOf(body)).toEqual(ids.slice(0, 3))
    expect(body).not.toContain('rel="prev"')
    const older = /rel="next" href="([^"]+)"/.exec(body)?.[1]?.replaceAll('&amp;', '&')
    expect(older).toBeDefined()
    const second = await (await get(older ?? '')).text()
    expect(rowsOf(second)).toEqual(ids.slice(3, 6))
    const third = await (
      await get(/rel="next" href="([^"]+)"/.exec(second)?.[1]?.replaceAll('&amp;', '&') ?? '')
    ).text()
    expect(rowsOf(third)).toEqual(ids.slice(6))
    expect(third).not.toContain('rel="next"')
    const back = await (
      await get(/rel="prev" href="([^"]+)"/.exec(third)?.[1]?.replaceAll('&amp;', '&') ?? '')
    ).text()
    expect(rowsOf(back)).toEqual(ids.slice(3, 6))
  })

  it('filters by branch and status, and keeps the filters when paging', async () => {
    const ids = await seed(viewer.store, 10)
    const body = await (await get('/?branch=main&status=completed&limit=2')).text()
    const main = ids.filter((_, i) => (9 - i) % 2 === 0 && (9 - i) % 5 !== 0)
    expect(rowsOf(body)).toEqual(main.slice(0, 2))
    const next = /rel="next" href="([^"]+)"/.exec(body)?.[1]?.replaceAll('&amp;', '&') ?? ''
    expect(next).toContain('branch=main')
    expect(rowsOf(await (await get(next)).text())).toEqual(main.slice(2, 4))
  })

  it('answers a bad filter with 400 and says why', async () => {
    const res = await get('/?status=done')
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('unknown status')
    expect((await get('/?from=yesterday')).status).toBe(400)
  })

  it('sets a strict CSP and refuses anything but GET', async () => {
    const res = await get('/')
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect((await viewer.app.request('http://127.0.0.1/', { method: 'POST' })).status).toBe(405)
  })
})
