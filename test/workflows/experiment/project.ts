import type { ExperimentEvent } from '@shipgate/runtime/experiments'
import { minimalConfig, tempProject } from '../../helpers/project.js'

/** The experiment the tests analyze: task success (primary) and a cost guardrail of +10%. */
export const EXPERIMENT_YAML = `experiments:
  checkout:
    flag: checkout-prompt
    control: A
    allocation: { A: 50, B: 50 }
    metrics:
      task_success: { kind: proportion }
      cost: { kind: mean, better: lower }
    primary: { metric: task_success, effect: 0.02 }
    guardrails: [{ metric: cost, margin: 0.1 }]
    minUsersPerArm: 1000
    minDays: 7
    plannedDays: 14
`

/** A temp project with the experiment and a SQLite store at the default place. */
export function experimentProject(extra = ''): string {
  return tempProject({ 'shipgate.yaml': `${minimalConfig()}${EXPERIMENT_YAML}${extra}` })
}

let counter = 0

/** An event of `checkout` (or `experiment`) with a fresh id. */
export function event(
  fields: { type: 'exposure' } | { type: 'outcome'; name: string; value: number },
  user: string,
  variant: string,
  at: string,
  experiment = 'checkout',
): ExperimentEvent {
  const base = { v: 1 as const, id: `ev-${++counter}-${user}`, experiment, variant, user, at }
  return { ...base, ...fields }
}

/** Events as an NDJSON body. */
export const ndjson = (events: readonly unknown[]) =>
  events.map((e) => JSON.stringify(e)).join('\n') + '\n'
