import { describe, expect, it } from 'vitest'
import { memoryViewer } from '../../helpers/view-app.js'
import { manifest } from '../../contract/store.contract.js'
import { seedDeploys, V1, V2, V3 } from './deploys-fixture.js'

const rows = (body: string, attr: string): string[] =>
  [...body.matchAll(new RegExp(`<tr data-${attr}="([^"]+)"`, 'g'))].map((m) => m[1] ?? '')

/** The `<tr data-release="id">` row of `id`, up to its end. */
const rowOf = (body: string, id: string): string =>
  /<tr data-release="[^"]+"[\s\S]*?<\/tr>/g.exec(
    body.slice(body.indexOf(`<tr data-release="${id}"`)),
  )?.[0] ?? ''

describe('the releases pages', () => {
  const viewer = memoryViewer()
  const { get } = viewer

  it('lists releases newest first with their counts and latest status per target', async () => {
    await seedDeploys(viewer.store)
    const res = await get('/releases')
    expect(res.status).toBe(200)
    const body = await res.text()
    expect(rows(body, 'release')).toEqual([V3, V2, V1])
    const v3 = rowOf(body, V3)
    // v3: rolled back on prod (dep-3), failed on staging (dep-5).
    expect(v3).toMatch(/data-target="prod"[\s\S]*?href="\/deployments\/dep-3"[\s\S]*?rolled_back/)
    expect(v3).toMatch(/data-target="staging"[\s\S]*?href="\/deployments\/dep-5"[\s\S]*?failed/)
    // v1: the latest on prod is the rollback that returned to it (dep-4), not dep-1.
    const v1 = rowOf(body, V1)
    expect(v1).toContain('href="/deployments/dep-4"')
    expect(v1).not.toContain('href="/deployments/dep-1"')
    expect(v1).toContain('v1.0.0')
    const v2 = rowOf(body, V2)
    expect(v2).toContain('<code>2222222</code>')
    expect(v2).toContain('<td>release</td>')
    expect(v2).toMatch(/<td>2<\/td>\s*<td>2<\/td>/)
  })

  it('shows `limit` releases and a link to more, until all are shown', async () => {
    for (let i = 0; i < 5; i++)
      await viewer.store.releases.save(
        manifest(`rel-00000000000${i}`, { createdAt: `2026-12-01T0${i}:00:00.000Z` }),
      )
    const body = await (await get('/releases?limit=2')).text()
    expect(rows(body, 'release')).toEqual(['rel-000000000004', 'rel-000000000003'])
    expect(body).toContain('href="/releases?limit=4"')
    const more = await (await get('/releases?limit=4')).text()
    expect(rows(more, 'release')).toHaveLength(4)
    expect(more).toContain('href="/releases?limit=8"')
    expect(await (await get('/releases?limit=8')).text()).not.toContain('rel="next"')
    expect((await get('/releases?limit=0')).status).toBe(400)
  })

  it('says so when no release is recorded', async () => {
    expect(await (await get('/releases')).text()).toContain('No releases recorded')
  })

  it('shows a manifest by id, prefix, name and latest, with its deployments', async () => {
    await seedDeploys(viewer.store)
    const body = await (await get(`/releases/${V2}`)).text()
    expect(body).toContain(`Release <code>${V2}</code>`)
    expect(body).toContain('2222222222222222222222222222222222222222')
    expect(body).toMatch(/data-prompt="greet"[\s\S]*?sha256:aa[\s\S]*?prompts\/greet\.liquid/)
    expect(body).toMatch(/data-prompt="inline"[\s\S]*?sha256:bb[\s\S]*?inline/)
    expect(body).toMatch(
      /data-model="bot"[\s\S]*?anthropic[\s\S]*?claude-3-5-haiku-20241022[\s\S]*?temperature=0/,
    )
    expect(body).toContain('PROMPT_VERSION')
    expect(rows(body, 'deployment')).toEqual(['dep-2'])
    for (const ref of ['rel-2222', 'v2.0.0'])
      expect(await (await get(`/releases/${ref}`)).text()).toContain(`Release <code>${V2}</code>`)
    const latest = await (await get('/releases/latest')).text()
    expect(latest).toContain(`Release <code>${V3}</code>`)
    expect(rows(latest, 'deployment')).toEqual(['dep-5', 'dep-3'])
    expect(await (await get(`/releases/${V1}`)).text()).toContain('href="/deployments/dep-4"')
  })

  it('answers an unknown release with 404, and escapes what it echoes', async () => {
    await seedDeploys(viewer.store)
    const res = await get('/releases/%3Cb%3Enope')
    expect(res.status).toBe(404)
    const body = await res.text()
    expect(body).toContain('no release matches')
    expect(body).toContain('&lt;b&gt;nope')
    expect(body).not.toContain('<b>nope')
  })
})
