import { describe, expect, it } from 'vitest'
import type { Deployment, DeploymentStep } from '../../../src/contracts/deploy.js'
import {
  currentRelease,
  endStep,
  resumePlan,
  startStep,
  stepsFrom,
} from '../../../src/core/rollout/deploy.js'

const at = '2026-11-30T18:00:00.000Z'

function deployment(steps: DeploymentStep[], fields: Partial<Deployment> = {}): Deployment {
  return {
    id: 'dep-1',
    target: 'prod',
    releaseId: 'rel-b',
    previousReleaseId: 'rel-a',
    strategy: 'replace',
    status: 'running',
    steps,
    startedAt: at,
    finishedAt: null,
    reason: null,
    owner: null,
    ...fields,
  }
}

const step = (name: DeploymentStep['name'], status: DeploymentStep['status']): DeploymentStep => ({
  name,
  status,
  startedAt: at,
  finishedAt: status === 'running' ? null : at,
  detail: status === 'failed' ? 'boom' : '',
})

describe('resumePlan', () => {
  it('starts over when nothing touched the target', () => {
    expect(resumePlan(deployment([]))).toEqual({ action: 'restart' })
    expect(resumePlan(deployment([step('verify', 'running')]))).toEqual({ action: 'restart' })
    expect(resumePlan(deployment([step('verify', 'passed'), step('plan', 'failed')]))).toEqual({
      action: 'restart',
    })
  })

  it('rolls back when the deploy died inside apply or a traffic shift', () => {
    for (const name of ['apply', 'shift'] as const) {
      const plan = resumePlan(deployment([step('verify', 'passed'), step(name, 'running')]))
      expect(plan).toEqual({ action: 'rollback', reason: `the deploy stopped during ${name}` })
    }
  })

  it('goes on from the step after the last finished one, or reruns a check that was running', () => {
    const applied = [step('verify', 'passed'), step('plan', 'passed'), step('apply', 'passed')]
    expect(resumePlan(deployment(applied))).toEqual({ action: 'continue', from: 'shift' })
    expect(resumePlan(deployment([...applied, step('smoke', 'running')]))).toEqual({
      action: 'continue',
      from: 'smoke',
    })
    expect(resumePlan(deployment([...applied, step('monitor', 'passed')]))).toEqual({
      action: 'continue',
      from: 'monitor',
    })
  })

  it('rolls back a failed check and finishes a rollback under way', () => {
    const failed = [step('apply', 'passed'), step('smoke', 'failed')]
    expect(resumePlan(deployment(failed))).toEqual({
      action: 'rollback',
      reason: 'smoke failed: boom',
    })
    expect(
      resumePlan(deployment([...failed, step('rollback', 'running')], { reason: 'smoke failed' })),
    ).toEqual({ action: 'finish-rollback', reason: 'smoke failed' })
  })
})

describe('step records', () => {
  it('ends the last entry of a step, keeping earlier runs of it', () => {
    let steps = startStep([], 'monitor', at)
    steps = endStep(steps, 'monitor', 'failed', 'killed', at)
    steps = startStep(steps, 'monitor', '2026-11-30T18:01:00.000Z')
    steps = endStep(steps, 'monitor', 'passed', 'ok', '2026-11-30T18:02:00.000Z')
    expect(steps.map((s) => [s.status, s.detail])).toEqual([
      ['failed', 'killed'],
      ['passed', 'ok'],
    ])
    expect(stepsFrom('healthy')).toEqual(['healthy', 'smoke', 'monitor'])
  })
})

describe('currentRelease', () => {
  it('is the last success, or what a rollback returned to, skipping failures', () => {
    const d = (status: Deployment['status'], releaseId: string, previous: string | null) =>
      deployment([], { status, releaseId, previousReleaseId: previous })
    expect(currentRelease([])).toBeNull()
    expect(currentRelease([d('failed', 'rel-c', 'rel-b'), d('succeeded', 'rel-b', 'rel-a')])).toBe(
      'rel-b',
    )
    expect(
      currentRelease([d('rolled_back', 'rel-c', 'rel-b'), d('succeeded', 'rel-b', null)]),
    ).toBe('rel-b')
  })
})
