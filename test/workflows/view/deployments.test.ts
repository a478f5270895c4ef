import { describe, expect, it } from 'vitest'
import { memoryViewer } from '../../helpers/view-app.js'
import { describeStep } from '../../../src/core/rollout/canary-plan.js'
import { canarySteps } from '../../../src/workflows/view/canary-steps.js'
import { deployment } from '../../contract/store.contract.js'
import { canaryDeployment, CANARY_ROLLOUT, seedDeploys, V1, V2, V3 } from './deploys-fixture.js'

const rows = (body: string, attr: string): string[] =>
  [...body.matchAll(new RegExp(`<tr data-${attr}="([^"]+)"`, 'g'))].map((m) => m[1] ?? '')

/** The canary table's rows: kind and weight, in order. */
const canaryRows = (body: string): string[] =>
  [...body.matchAll(/<tr data-kind="([^"]+)" data-weight="([^"]*)"/g)].map((m) => `${m[1]}@${m[2]}`)

describe('the deployments pages', () => {
  const viewer = memoryViewer()
  const { get } = viewer

  it('lists deployments newest first, filtered by target and status', async () => {
    await seedDeploys(viewer.store)
    const all = await (await get('/deployments')).text()
    expect(rows(all, 'deployment')).toEqual(['dep-5', 'dep-4', 'dep-3', 'dep-2', 'dep-1'])
    expect(all).toMatch(
      /data-deployment="dep-3"[\s\S]*?prod[\s\S]*?href="\/releases\/rel-333333333333"[\s\S]*?canary[\s\S]*?rolled_back[\s\S]*?canary failed: error rate/,
    )
    expect(all).toMatch(/data-deployment="dep-4"[\s\S]*?<td>rollback<\/td>/)
    expect(all).toMatch(/data-deployment="dep-5"[\s\S]*?<td>1\.0 s<\/td>/)
    const prod = await (await get('/deployments?target=prod')).text()
    expect(rows(prod, 'deployment')).toEqual(['dep-4', 'dep-3', 'dep-2', 'dep-1'])
    expect(prod).toContain('name="target" value="prod"')
    const ok = await (await get('/deployments?target=prod&status=succeeded&limit=2')).text()
    expect(rows(ok, 'deployment')).toEqual(['dep-4', 'dep-2'])
    expect(ok).toContain('<option value="succeeded" selected>')
    expect(ok).toContain('href="/deployments?target=prod&amp;status=succeeded&amp;limit=4"')
    const failed = await (await get('/deployments?status=failed')).text()
    expect(rows(failed, 'deployment')).toEqual(['dep-5'])
    expect(await (await get('/deployments?target=nowhere')).text()).toContain(
      'No deployments match',
    )
  })

  it('refuses an unknown status with 400', async () => {
    const res = await get('/deployments?status=done')
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('use one of: running, succeeded')
  })

  it('shows a promoted canary: every step, the weights and the analysis verdicts', async () => {
    await seedDeploys(viewer.store)
    const res = await get('/deployments/dep-2')
    expect(res.status).toBe(200)
    const body = await res.text()
    expect(rows(body, 'step')).toEqual([
      'verify',
      'plan',
      'apply',
      'canary',
      'healthy',
      'smoke',
      'monitor',
    ])
    expect(canaryRows(body)).toEqual([
      'weight@10',
      'analysis@10',
      'weight@50',
      'analysis@50',
      'weight@100',
    ])
    expect(body).toContain('<meter min="0" max="100" value="50">')
    expect(body).toMatch(
      /analyze for 2s, every 1s[\s\S]*?<strong>passed<\/strong> no metric significantly worse than stable over 2 intervals/,
    )
    // The release and the one it replaced, by name.
    expect(body).toContain(`href="/releases/${V2}"><code>v2.0.0</code>`)
    expect(body).toMatch(
      /class="previous">\s*<a href="\/releases\/rel-111111111111"><code>v1\.0\.0/,
    )
    // The monitor step was skipped, and says why.
    expect(body).toMatch(
      /data-step="monitor"[\s\S]*?data-status="skipped"[\s\S]*?monitoring is off/,
    )
    // The alerts it sent, each with how every notifier that took it fared.
    expect(body).toMatch(
      /<h2>Alerts<\/h2>[\s\S]*data-alert="canary\.promoted"[\s\S]*data-alert="deploy\.succeeded"/,
    )
    expect(body).toMatch(/data-notifier="slack"\s*>slack ✓/)
    expect(body).toMatch(
      /data-notifier="webhook"\s*>webhook ✗<\/span\s*>\s*<span class="muted">HTTP 503/,
    )
    expect(body).not.toContain('data-notifier="pager"')
    expect(body).not.toContain('<h2>Rollback</h2>')
    // The whole canary took 4 s of the fake clock; the deployment 11.2 s.
    expect(body).toMatch(/data-step="canary"[\s\S]*?<td>4\.0 s<\/td>/)
  })

  it('shows an aborted canary: the failed verdict, the rollback and where it returned to', async () => {
    await seedDeploys(viewer.store)
    const body = await (await get('/deployments/dep-3')).text()
    expect(canaryRows(body)).toEqual(['weight@10', 'analysis@10', 'weight@50', 'analysis@50'])
    expect(body).toMatch(
      /data-kind="analysis" data-weight="50"[\s\S]*?data-status="failed"[\s\S]*?<strong>failed<\/strong> error rate 10\.3%/,
    )
    // The reason stands above the canary's steps, not as one of them.
    expect(body).toMatch(
      /<p class="error">error rate 10\.3%[^<]*<\/p>\s*<table class="list canary">/,
    )
    expect(body).toMatch(
      /<h2>Rollback<\/h2>[\s\S]*?rolled back[\s\S]*?from <a href="\/releases\/rel-333333333333">[\s\S]*?to\s+<a href="\/releases\/rel-222222222222">[\s\S]*?data-status="passed"/,
    )
    expect(body).toContain('data-alert="rollback.succeeded"')
    expect(body).toMatch(/data-step="rollback"/)
  })

  it('shows a `shipgate rollback` as a rollback to its release', async () => {
    await seedDeploys(viewer.store)
    const body = await (await get('/deployments/dep-4')).text()
    expect(body).toMatch(
      /A rollback by <code>shipgate rollback<\/code>\s*from <a href="\/releases\/rel-222222222222">[\s\S]*?to\s+<a href="\/releases\/rel-111111111111">/,
    )
    expect(body).toContain('prompt: unchanged (same hash)')
    expect(body).toContain('No alerts were sent')
  })

  it('shows a failed step with its reason, and a running canary from its progress', async () => {
    await seedDeploys(viewer.store)
    const failed = await (await get('/deployments/dep-5')).text()
    expect(failed).toMatch(
      /data-step="apply"[\s\S]*?data-status="failed"[\s\S]*?railway up exited 1\nno such service &lt;agent&gt;/,
    )
    expect(failed).toContain('none (first release on the target)')
    // A deployment cut off mid-canary: its record holds the progress lines only.
    const { progress } = await canaryDeployment(viewer.store, 'dep-x', {
      target: 'canary-box',
      releaseId: V3,
      previousReleaseId: V1,
      at: '2026-12-02T00:00:00.000Z',
    })
    await viewer.store.deployments.begin(
      deployment('dep-6', 'other', {
        releaseId: V3,
        strategy: 'canary',
        steps: [
          {
            name: 'canary',
            status: 'running',
            startedAt: '2026-12-02T00:00:00.000Z',
            finishedAt: null,
            detail: progress.slice(0, 5).join('\n'),
          },
        ],
      }),
    )
    const running = await (await get('/deployments/dep-6')).text()
    expect(canaryRows(running)).toEqual(['weight@10', 'analysis@10', 'weight@10'])
    expect(running).toMatch(/data-kind="weight" data-weight="10"[\s\S]*?data-status="running"/)
    expect(running).toContain('<strong>passed</strong>')
  })

  it('answers an unknown deployment with 404', async () => {
    const res = await get('/deployments/dep-nope')
    expect(res.status).toBe(404)
    expect(await res.text()).toContain('no deployment matches &quot;dep-nope&quot;')
  })

  it('reads every step the canary plan words, the way the deploy words it', () => {
    const detail = CANARY_ROLLOUT.steps
      .map((s, i) => `${i + 1}/5 ${describeStep(s)}: ok`)
      .concat([`${'promoted by `shipgate canary promote`'}: weights: canary 100`])
      .join('\n')
    const { steps, note } = canarySteps({
      name: 'canary',
      status: 'passed',
      startedAt: '2026-12-01T00:00:00.000Z',
      finishedAt: '2026-12-01T00:01:00.000Z',
      detail,
    })
    expect(note).toBe('')
    expect(steps.map((s) => `${s.kind}@${s.weight}`)).toEqual([
      'weight@10',
      'analysis@10',
      'weight@50',
      'analysis@50',
      'weight@100',
      'promote@100',
    ])
    const pause = canarySteps({
      name: 'canary',
      status: 'running',
      startedAt: '2026-12-01T00:00:00.000Z',
      finishedAt: null,
      detail: `1/2 ${describeStep({ kind: 'pause', durationMs: null })}: resumed`,
    })
    expect(pause.steps[0]?.kind).toBe('pause')
  })

  it("keeps a command's output lines with its step, and a failure's reason apart", () => {
    const { steps, note } = canarySteps({
      name: 'canary',
      status: 'failed',
      startedAt: '2026-12-01T00:00:00.000Z',
      finishedAt: '2026-12-01T00:01:00.000Z',
      detail: [
        'weights could not be set: exit 1',
        "1/3 set the canary's weight to 10%: ran weights.sh",
        'canary=10 stable=90',
        "2/3 set the canary's weight to 60%: weights could not be set: exit 1",
      ].join('\n'),
    })
    expect(note).toBe('weights could not be set: exit 1')
    expect(steps.map((s) => [s.status, s.weight, s.outcome])).toEqual([
      ['passed', 10, 'ran weights.sh\ncanary=10 stable=90'],
      // The shift to 60% failed: the canary stayed at 10%.
      ['failed', 10, 'weights could not be set: exit 1'],
    ])
    const other = canarySteps({
      name: 'smoke',
      status: 'passed',
      startedAt: '2026-12-01T00:00:00.000Z',
      finishedAt: null,
      detail: '1/3 x: y',
    })
    expect(other).toEqual({ steps: [], note: '1/3 x: y' })
  })
})
