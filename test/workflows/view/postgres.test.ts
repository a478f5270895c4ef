/**
 * The viewer over the Postgres store (PostgreSQL 15 started for the suite): every page answers
 * from it as from SQLite, and the runs page pages by cursor through it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Store } from '../../../src/contracts/store.js'
import { openStore } from '../../../src/stores/index.js'
import { ResultsCache, viewApp } from '../../../src/workflows/view/index.js'
import { startPostgres, type TestPostgres } from '../../helpers/postgres.js'
import { requireService } from '../../helpers/services.js'
import { caseIds, recordRun, relLink, runId, startOf } from '../../helpers/view-runs.js'
import { seedDeploys, V3 } from './deploys-fixture.js'

const describePostgres = requireService('PostgreSQL', 'initdb')

describePostgres('the viewer over Postgres', () => {
  let server: TestPostgres
  let store: Store
  let app: ReturnType<typeof viewApp>
  const text = async (path: string) => {
    const res = await app.request(`http://127.0.0.1${path}`)
    expect(res.status, path).toBe(200)
    return res.text()
  }
  const ids = (body: string) => [...body.matchAll(/<tr data-run="([^"]+)"/g)].map((m) => m[1])

  beforeAll(async () => {
    server = await startPostgres()
    store = await openStore(await server.createDatabase(), '/')
    for (let n = 1; n <= 5; n++) {
      await recordRun(store, runId(n), {
        startedAt: startOf(n),
        branch: n === 4 ? 'feature' : 'main',
        cases: [
          { suite: 'qa', id: 'stable', samples: [{ output: 'hello', pass: true }] },
          { suite: 'qa', id: 'turns', samples: [{ output: `answer ${n}`, pass: n < 5 }] },
        ],
      })
    }
    await seedDeploys(store)
    app = viewApp({ store, results: new ResultsCache(store), token: null, loopback: true })
  }, 60_000)
  afterAll(async () => {
    await store?.close()
    await server?.stop()
  })

  it('lists and pages runs by cursor, filtered', async () => {
    const first = await text('/?limit=2')
    expect(ids(first)).toEqual([runId(5), runId(4)])
    const second = await text(relLink(first, 'next') ?? '')
    expect(ids(second)).toEqual([runId(3), runId(2)])
    expect(ids(await text(relLink(second, 'prev') ?? ''))).toEqual([runId(5), runId(4)])
    expect(ids(await text('/?branch=feature'))).toEqual([runId(4)])
  })

  it('shows a run, a case, a comparison and a trend', async () => {
    expect(caseIds(await text(`/runs/${runId(5)}`))).toEqual(['turns', 'stable'])
    expect(await text(`/runs/${runId(5)}/case?suite=qa&case=turns`)).toContain('answer 5')
    const compared = await text(`/compare?b=${runId(5)}`)
    expect(compared).toMatch(new RegExp(`A <a href="/runs/${runId(3)}"`))
    expect(caseIds(compared)).toEqual(['turns'])
    expect(compared).toContain('<del>3</del>')
    expect(await text('/trends?suite=qa')).toContain('5 completed runs')
  })

  it('shows releases and deployments', async () => {
    expect(await text('/releases')).toContain(V3)
    expect(await text(`/releases/${V3}`)).toContain('dep-3')
    expect(await text('/deployments?target=prod')).toContain('dep-3')
    expect(await text('/deployments/dep-3')).toContain('data-alert="rollback.succeeded"')
  })
})
