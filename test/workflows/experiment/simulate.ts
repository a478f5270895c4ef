import type { ExperimentEvent } from '@shipgate/runtime/experiments'
import type { Random } from '../../../src/contracts/clock.js'
import type { Store } from '../../../src/contracts/store.js'
import { gamma } from '../../helpers/sampling.js'

/** A simulated experiment whose truth is known: users per arm, success rate, mean cost. */
export interface Simulation {
  readonly arms: Readonly<Record<string, { users: number; success: number; cost?: number }>>
  readonly days: number
  readonly start: string
  /** Default true; false writes exposures only (enough for the SRM check). */
  readonly outcomes?: boolean
}

/**
 * Per user, in arrival order (evenly over `days`, arms interleaved): an exposure, a task
 * success outcome (0/1) a minute later, and a cost outcome (gamma, sd 0.7 × the mean).
 */
export function* simulate(sim: Simulation, random: Random): Generator<ExperimentEvent> {
  const queue = Object.entries(sim.arms).flatMap(([variant, arm]) =>
    Array.from({ length: arm.users }, (_, i) => ({ variant, i, arm })),
  )
  // Fisher–Yates, so arrival order mixes the arms.
  for (let i = queue.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[queue[i], queue[j]] = [queue[j] as (typeof queue)[number], queue[i] as (typeof queue)[number]]
  }
  const start = Date.parse(sim.start)
  const step = (sim.days * 86_400_000) / queue.length
  for (const [k, { variant, i, arm }] of queue.entries()) {
    const user = `${variant}-${i}`
    const at = (ms: number) => new Date(start + k * step + ms).toISOString()
    const base = { v: 1 as const, experiment: 'checkout', variant, user }
    yield { ...base, id: `${user}-x`, type: 'exposure', at: at(0) }
    if (sim.outcomes === false) continue
    const success = random() < arm.success ? 1 : 0
    yield {
      ...base,
      id: `${user}-s`,
      type: 'outcome',
      name: 'task_success',
      value: success,
      at: at(60_000),
    }
    const cost = gamma(random, 2, (arm.cost ?? 0.002) / 2)
    yield { ...base, id: `${user}-c`, type: 'outcome', name: 'cost', value: cost, at: at(60_000) }
  }
}

/** Appends events in batches of 5,000; returns how many. */
export async function writeEvents(
  store: Store,
  events: Iterable<ExperimentEvent>,
): Promise<number> {
  let batch: ExperimentEvent[] = []
  let total = 0
  for (const e of events) {
    batch.push(e)
    if (batch.length === 5000) {
      total += (await store.experimentEvents.append(batch)).stored
      batch = []
    }
  }
  if (batch.length > 0) total += (await store.experimentEvents.append(batch)).stored
  return total
}
