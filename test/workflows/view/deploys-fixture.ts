/**
 * Releases and deployments for the viewer's tests, written the way `shipgate deploy` writes
 * them: the canary steps come from the real canary loop (runCanary) and the real recorder, on a
 * fake clock, so the pages are tested against the record format the deploy produces.
 */
import type { Deployment, StepOutcome } from '../../../src/contracts/deploy.js'
import type { Store } from '../../../src/contracts/store.js'
import type { Rollout } from '../../../src/config/rollout.js'
import { DEFAULT_CANARY_RULES } from '../../../src/core/rollout/canary.js'
import type { StepName } from '../../../src/core/rollout/deploy.js'
import type { PipelineEventType } from '../../../src/contracts/notifier.js'
import { pipelineEvent } from '../../../src/workflows/alerts/index.js'
import { runCanary } from '../../../src/workflows/deploy/canary.js'
import { DeploymentRecorder } from '../../../src/workflows/deploy/record.js'
import { deployment, manifest } from '../../contract/store.contract.js'

/** The releases: v1 (oldest), v2, v3 (newest), an hour apart. */
export const V1 = 'rel-111111111111'
export const V2 = 'rel-222222222222'
export const V3 = 'rel-333333333333'

/** The canary plan every canary deployment here follows: 10%, analysis, 50%, analysis, 100%. */
export const CANARY_ROLLOUT: Rollout = {
  strategy: 'canary',
  steps: [
    { kind: 'weight', percent: 10 },
    { kind: 'analysis', durationMs: 2_000, intervalMs: 1_000 },
    { kind: 'weight', percent: 50 },
    { kind: 'analysis', durationMs: 2_000, intervalMs: 1_000 },
    { kind: 'weight', percent: 100 },
  ],
  rules: DEFAULT_CANARY_RULES,
  stepRules: { onInconclusive: 'rollback', maxExtensions: 0 },
}

const ok = (detail: string): StepOutcome => ({ ok: true, detail })

/** A deployment recorded step by step on a fake clock starting at `at`. */
async function record(store: Store, d: Deployment, at: string) {
  let t = Date.parse(at)
  const clock = {
    now: () => t,
    advance: (ms: number) => (t += ms),
  }
  await store.deployments.begin(d)
  const recorder = new DeploymentRecorder(store, d, () => new Date(t))
  const step = async (name: StepName, outcome: StepOutcome, ms = 1000) => {
    await recorder.start(name)
    clock.advance(ms)
    await recorder.end(name, outcome)
  }
  // An alert as the deploy records one: slack took it, the webhook failed.
  const alert = async (type: PipelineEventType, summary: string) => {
    clock.advance(50)
    await recorder.alerted(pipelineEvent(type, { summary, deploymentId: d.id }, new Date(t)), [
      { notifier: 'slack', ok: true },
      { notifier: 'pager', ok: true, skipped: true },
      { notifier: 'webhook', ok: false, error: 'HTTP 503 after 3 attempts' },
    ])
  }
  return { recorder, clock, step, alert }
}

/**
 * A canary of `releaseId` over `previousReleaseId` on `target`; `failAt` = 2 makes the second
 * analysis find the canary's errors significantly worse, and the deploy rolls back.
 */
export async function canaryDeployment(
  store: Store,
  id: string,
  fields: { target: string; releaseId: string; previousReleaseId: string; at: string; failAt?: 2 },
): Promise<{ progress: string[] }> {
  const d = deployment(id, fields.target, {
    releaseId: fields.releaseId,
    previousReleaseId: fields.previousReleaseId,
    strategy: 'canary',
    startedAt: fields.at,
  })
  const { recorder, clock, step, alert } = await record(store, d, fields.at)
  await step('verify', ok('target reachable'))
  await step('plan', ok('agent up --release x'))
  await step('apply', ok('started on 127.0.0.1:4100'))
  await recorder.start('canary')
  const progress: string[] = []
  let analyses = 0
  const outcome = await runCanary({
    rollout: CANARY_ROLLOUT,
    shift: (percent) => Promise.resolve(ok(`weights: canary ${percent}, stable ${100 - percent}`)),
    window: () => {
      const bad = fields.failAt === 2 && analyses >= 2
      analyses++
      return Promise.resolve({
        canary: { requests: 400, errors: bad ? 120 : 2 },
        stable: { requests: 400, errors: 2 },
      })
    },
    now: clock.now,
    sleep: (ms) => {
      clock.advance(ms)
      return Promise.resolve()
    },
    signal: new AbortController().signal,
    // As the deploy's canary step writes its progress (workflows/deploy/steps.ts).
    onStep: async (e) => {
      progress.push(`canary ${e.index + 1}/${e.total} ${e.status}: ${e.detail}`)
      await recorder.note('canary', progress.join('\n'))
    },
  })
  await recorder.end('canary', outcome)
  await (outcome.ok
    ? alert('canary.promoted', `canary of ${fields.releaseId} promoted`)
    : alert('canary.aborted', `canary of ${fields.releaseId} aborted: error rate`))
  if (outcome.ok) {
    await step('healthy', ok(`/health names ${fields.releaseId}`))
    await step('smoke', ok('3 checks passed in 120 ms'))
    await step('monitor', ok('(skipped) monitoring is off for this deploy'))
    await alert('deploy.succeeded', `${fields.releaseId} runs on ${fields.target}`)
    await recorder.finish('succeeded', null)
  } else {
    await step(
      'rollback',
      ok(`weights: canary 0, stable 100\n/health names ${fields.previousReleaseId}`),
    )
    await alert('rollback.succeeded', `rolled back to ${fields.previousReleaseId}`)
    await recorder.finish('rolled_back', `canary failed: ${outcome.reason}`)
  }
  return { progress }
}

/**
 * The store the viewer tests read: three releases; on prod v1 replaced, v2 canaried and
 * promoted, v3 canaried and rolled back, then `shipgate rollback` to v1; on staging v3 replaced.
 */
export async function seedDeploys(store: Store): Promise<void> {
  const hour = (h: number) => `2026-12-01T${String(h).padStart(2, '0')}:00:00.000Z`
  await store.releases.save(manifest(V1, { name: 'v1.0.0', createdAt: hour(1) }))
  await store.releases.save(
    manifest(V2, {
      name: 'v2.0.0',
      createdAt: hour(2),
      code: { commit: '2222222222222222222222222222222222222222', branch: 'release', dirty: false },
    }),
  )
  await store.releases.save(manifest(V3, { name: null, createdAt: hour(3) }))
  const first = await record(
    store,
    deployment('dep-1', 'prod', { releaseId: V1, startedAt: hour(4) }),
    hour(4),
  )
  for (const name of ['verify', 'plan', 'apply', 'shift', 'healthy', 'smoke', 'monitor'] as const)
    await first.step(name, ok(`${name} done`))
  await first.recorder.finish('succeeded', null)
  await canaryDeployment(store, 'dep-2', {
    target: 'prod',
    releaseId: V2,
    previousReleaseId: V1,
    at: hour(5),
  })
  await canaryDeployment(store, 'dep-3', {
    target: 'prod',
    releaseId: V3,
    previousReleaseId: V2,
    at: hour(6),
    failAt: 2,
  })
  const back = await record(
    store,
    deployment('dep-4', 'prod', {
      releaseId: V1,
      previousReleaseId: V2,
      strategy: 'rollback',
      startedAt: hour(7),
    }),
    hour(7),
  )
  await back.step(
    'rollback',
    ok(
      'code: reverted (weights: stable rel-111111111111)\nprompt: unchanged (same hash)\nmodel: unchanged (same model)',
    ),
  )
  await back.recorder.finish('succeeded', null)
  const staging = await record(
    store,
    deployment('dep-5', 'staging', { releaseId: V3, startedAt: hour(8) }),
    hour(8),
  )
  await staging.step('verify', ok('ok'))
  await staging.step('apply', {
    ok: false,
    reason: 'railway up exited 1',
    detail: 'no such service <agent>',
  })
  await staging.recorder.finish('failed', 'apply failed: railway up exited 1')
}
