import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load.js'
import { ConfigError, type ConfigIssue } from '../../src/errors.js'
import { minimalConfig, tempProject } from '../helpers/project.js'

/* The cross-field rules of experiments:, reported at file:line with a hint. */

const experiment = (overrides: Record<string, string> = {}) => {
  const fields = {
    flag: 'checkout-prompt',
    control: 'A',
    allocation: '{ A: 50, B: 50 }',
    metrics: '{ task_success: { kind: proportion }, cost: { kind: mean, better: lower } }',
    primary: '{ metric: task_success, effect: 0.02 }',
    guardrails: '[{ metric: cost, margin: 0.1 }]',
    plannedDays: '14',
    ...overrides,
  }
  const lines = Object.entries(fields)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `    ${k}: ${v}`)
  return `experiments:\n  checkout:\n${lines.join('\n')}\n`
}

async function issuesOf(yaml: string): Promise<ConfigIssue[]> {
  const dir = tempProject({ 'shipgate.yaml': `${minimalConfig()}${yaml}` })
  try {
    await loadConfig({ cwd: dir, env: {} })
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues]
    throw error
  }
  return []
}

const CONFIG_LINES = minimalConfig().split('\n').length - 1
/** The line of `key` in the experiment (1-based in the whole file). */
const lineOf = (yaml: string, key: string) =>
  CONFIG_LINES + yaml.split('\n').findIndex((l) => l.trimStart().startsWith(`${key}:`)) + 1

describe('experiments: rules', () => {
  it('accepts a valid experiment', async () => {
    expect(await issuesOf(experiment())).toEqual([])
  })

  it('refuses a control that is not an arm, with a guess', async () => {
    const yaml = experiment({ control: 'a' })
    const [issue, ...rest] = await issuesOf(yaml)
    expect(rest).toEqual([])
    expect(issue).toMatchObject({
      file: expect.stringMatching(/shipgate\.yaml$/) as string,
      line: lineOf(yaml, 'control'),
      message: 'experiment "checkout" has control "a", which is not an arm of its allocation',
      hint: 'did you mean "A"?',
    })
  })

  it('needs at least two arms', async () => {
    const yaml = experiment({ allocation: '{ A: 1 }' })
    const issues = await issuesOf(yaml)
    expect(issues).toHaveLength(1)
    expect(issues[0]).toMatchObject({ line: lineOf(yaml, 'allocation') })
    expect(issues[0]?.message).toContain('at least two')
  })

  it('refuses a primary or guardrail metric missing from metrics', async () => {
    const yaml = experiment({
      primary: '{ metric: task_sucess, effect: 0.02 }',
      guardrails: '[{ metric: latency, margin: 0.1 }]',
    })
    const issues = await issuesOf(yaml)
    expect(issues.map((i) => [i.line, i.message, i.hint])).toEqual([
      [
        lineOf(yaml, 'primary'),
        'experiment "checkout"\'s primary metric "task_sucess" is not under its metrics:',
        'did you mean "task_success"?',
      ],
      [
        lineOf(yaml, 'guardrails'),
        'experiment "checkout"\'s guardrail metric "latency" is not under its metrics:',
        'defined metrics: task_success, cost',
      ],
    ])
  })

  it('refuses minDays past plannedDays, and a non-positive weight (schema)', async () => {
    const late = await issuesOf(experiment({ plannedDays: '5' }))
    expect(late.map((i) => i.message)).toEqual([
      'experiment "checkout" plans 5 days but needs at least minDays 7 before a winner',
    ])
    const zero = await issuesOf(experiment({ allocation: '{ A: 50, B: 0 }' }))
    expect(zero).toHaveLength(1)
    expect(zero[0]?.line).toBe(lineOf(experiment(), 'allocation'))
  })

  it('lets judge.metric be absent from metrics (grades recorded, not analyzed)', async () => {
    const yaml = experiment({ judge: '{ rubric: "Answers the question", metric: judge_score }' })
    expect(await issuesOf(yaml)).toEqual([])
  })
})
