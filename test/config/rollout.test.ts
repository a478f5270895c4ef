import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load.js'
import { rolloutOf } from '../../src/config/rollout.js'
import { ConfigError, type ConfigIssue } from '../../src/errors.js'
import { minimalConfig, tempProject } from '../helpers/project.js'

const TARGETS = `targets:
  prod: { type: command, deploy: "true", rollback: "true", shiftTraffic: "true" }
  staging: { type: command, deploy: "true", rollback: "true" }
`

async function load(rollout: string) {
  const dir = tempProject({ 'shipgate.yaml': `${minimalConfig()}${TARGETS}${rollout}` })
  return loadConfig({ cwd: dir, env: {} })
}

async function issuesOf(rollout: string): Promise<ConfigIssue[]> {
  try {
    await load(rollout)
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues]
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('rollout:', () => {
  it('replaces all at once by default; a canary takes the seed’s plan with the analysis settings', async () => {
    const plain = await load('')
    expect(rolloutOf(plain.config.rollout, 'prod').strategy).toBe('replace')
    const { config } = await load('rollout:\n  strategy: canary\n  analysis: { duration: 10m }\n')
    const rollout = rolloutOf(config.rollout, 'prod')
    expect(rollout.strategy).toBe('canary')
    expect(rollout.steps).toEqual([
      { kind: 'weight', percent: 5 },
      { kind: 'analysis', durationMs: 600_000, intervalMs: 60_000 },
      { kind: 'weight', percent: 100 },
    ])
    expect(rollout.rules).toMatchObject({ alpha: 0.05, minRequests: 100 })
  })

  it('takes Argo-style steps, per target over the config’s, and promotes at the end', async () => {
    const { config } = await load(`rollout:
  strategy: canary
  steps:
    - setWeight: 10
    - analysis: { interval: 30s }
    - pause: { duration: 5m }
    - setWeight: 50
  targets:
    staging: { strategy: replace }
`)
    expect(rolloutOf(config.rollout, 'prod').steps).toEqual([
      { kind: 'weight', percent: 10 },
      { kind: 'analysis', durationMs: 900_000, intervalMs: 30_000 },
      { kind: 'pause', durationMs: 300_000 },
      { kind: 'weight', percent: 50 },
      { kind: 'weight', percent: 100 },
    ])
    expect(rolloutOf(config.rollout, 'staging').strategy).toBe('replace')
  })

  it('names the step that cannot run at its file:line, and an unknown target', async () => {
    const issues = await issuesOf(`rollout:
  steps:
    - setWeight: 20
    - setWeight: 10
  targets:
    prd: { strategy: canary }
`)
    expect(issues).toEqual([
      expect.objectContaining({
        file: 'shipgate.yaml',
        line: 20,
        message: 'rollout.steps.1: weight 10% is lower than the 20% before it',
      }),
      expect.objectContaining({
        line: 22,
        message: 'rollout.targets names "prd", which is not defined under targets',
        hint: 'did you mean "prod"?',
      }),
    ])
  })

  it('refuses an analysis before any weight and a weight over 100 at their lines', async () => {
    const before = await issuesOf('rollout:\n  steps:\n    - analysis: {}\n')
    expect(before[0]?.message).toBe(
      'rollout.steps.0: an analysis before any weight has no canary to judge',
    )
    const over = await issuesOf('rollout:\n  steps:\n    - setWeight: 150\n')
    expect(over[0]).toMatchObject({ line: 19 })
    expect(over[0]?.message).toMatch(/rollout\.steps\.0\.setWeight/)
  })
})
