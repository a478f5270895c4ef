/**
 * Events → per-arm totals, streaming: one small record per user (their arm and, per tracked
 * outcome event, a running sum, count and "any value > 0"), never the events themselves.
 *
 * - A user's arm is the variant of their FIRST exposure (events arrive oldest first).
 * - A user exposed to two variants is "crossed": counted, reported, and left out of every arm.
 * - A user first exposed to a variant the allocation does not name is left out, counted by variant.
 * - Every outcome of an exposed user counts, also one timed before the exposure (clocks of
 *   several processes differ); outcomes of users never exposed are counted and left out.
 */
import type { ExperimentEvent } from '@shipgate/runtime/experiments'
import type { ArmData, MetricTotals } from '../../core/experiment/index.js'

/** What the aggregation needs of the experiment's config. */
export interface AggregationSpec {
  /** Planned variants, control first (the arms' order). */
  readonly variants: readonly string[]
  /** Metrics by name: the outcome event each reads and how a user's values become one number. */
  readonly metrics: Readonly<
    Record<string, { readonly event: string; readonly kind: 'proportion' | 'mean' | 'ratio' }>
  >
}

/** The per-arm data and what was left out. */
export interface Aggregation {
  /** Every planned arm, in `variants` order, with users 0 when none arrived. */
  readonly arms: readonly ArmData[]
  /** Users exposed to more than one variant, left out. */
  readonly crossed: number
  /** Users whose first exposure named an unplanned variant, by that variant; left out. */
  readonly unplanned: Readonly<Record<string, number>>
  /** Users with outcomes but no exposure; left out. */
  readonly unexposed: number
  /** The first exposure's time, or null before any. */
  readonly firstExposure: string | null
  /** The last event's time, or null when none was read. */
  readonly lastEvent: string | null
  /** Events read, by type. */
  readonly events: { readonly exposures: number; readonly outcomes: number }
}

/** One tracked outcome event of one user. */
interface Tally {
  readonly sum: number
  readonly count: number
  readonly positive: boolean
}

/**
 * A user's tallies, flat: per tracked event (by its index) its sum, count and 1 when any value
 * was > 0. One small array a user instead of a map of objects: memory is per user.
 */
type Tallies = number[]

interface UserState {
  variant: string | null
  crossed: boolean
  tallies: Tallies | null
}

/** Folds events in, one at a time; `result()` gives the totals. */
export class ExperimentAggregator {
  private readonly users = new Map<string, UserState>()
  /** Tracked outcome event names → their index in a user's tallies. */
  private readonly tracked: Map<string, number>
  private firstExposure: string | null = null
  private lastEvent: string | null = null
  private exposures = 0
  private outcomes = 0

  constructor(private readonly spec: AggregationSpec) {
    const events = new Set(Object.values(spec.metrics).map((m) => m.event))
    this.tracked = new Map([...events].map((name, i) => [name, i]))
  }

  /** Adds one event; samples are ignored. */
  add(event: ExperimentEvent): void {
    if (event.type === 'sample') return
    if (this.lastEvent === null || event.at > this.lastEvent) this.lastEvent = event.at
    if (event.type === 'exposure') {
      this.exposures++
      if (this.firstExposure === null || event.at < this.firstExposure)
        this.firstExposure = event.at
      const user = this.user(event.user)
      if (user.variant === null) user.variant = event.variant
      else if (user.variant !== event.variant) user.crossed = true
      return
    }
    this.outcomes++
    const index = this.tracked.get(event.name)
    if (index === undefined) return
    const user = this.user(event.user)
    const tallies = (user.tallies ??= new Array<number>(3 * this.tracked.size).fill(0))
    tallies[3 * index] = (tallies[3 * index] as number) + event.value
    tallies[3 * index + 1] = (tallies[3 * index + 1] as number) + 1
    if (event.value > 0) tallies[3 * index + 2] = 1
  }

  /** The totals of every planned arm and what was left out. */
  result(): Aggregation {
    const arms = new Map(this.spec.variants.map((v) => [v, new ArmTotals(this.spec, this.tracked)]))
    const unplanned: Record<string, number> = {}
    let crossed = 0
    let unexposed = 0
    for (const user of this.users.values()) {
      if (user.variant === null) unexposed++
      else if (user.crossed) crossed++
      else {
        const arm = arms.get(user.variant)
        if (arm === undefined) unplanned[user.variant] = (unplanned[user.variant] ?? 0) + 1
        else arm.add(user.tallies)
      }
    }
    return {
      arms: [...arms].map(([variant, totals]) => totals.data(variant)),
      crossed,
      unplanned,
      unexposed,
      firstExposure: this.firstExposure,
      lastEvent: this.lastEvent,
      events: { exposures: this.exposures, outcomes: this.outcomes },
    }
  }

  private user(id: string): UserState {
    let user = this.users.get(id)
    if (user === undefined) {
      user = { variant: null, crossed: false, tallies: null }
      this.users.set(id, user)
    }
    return user
  }
}

/** Running sums of one arm; a user's per-metric value per the metric's kind. */
class ArmTotals {
  private users = 0
  private readonly totals = new Map<string, Totals>()

  constructor(
    private readonly spec: AggregationSpec,
    private readonly tracked: ReadonlyMap<string, number>,
  ) {
    for (const name of Object.keys(spec.metrics)) this.totals.set(name, zero())
  }

  add(tallies: Tallies | null): void {
    this.users++
    for (const [name, metric] of Object.entries(this.spec.metrics)) {
      const tally = tallies === null ? undefined : tallyOf(tallies, this.tracked.get(metric.event))
      addUser(this.totals.get(name) as Totals, metric.kind, tally)
    }
  }

  data(variant: string): ArmData {
    const metrics: Record<string, MetricTotals> = {}
    for (const [name, metric] of Object.entries(this.spec.metrics)) {
      metrics[name] = totalsOf(metric.kind, this.totals.get(name) as Totals, this.users)
    }
    return { variant, users: this.users, metrics }
  }
}

/** The tally of the event at `index` in a user's tallies; undefined when they have none of it. */
function tallyOf(tallies: Tallies, index: number | undefined): Tally | undefined {
  if (index === undefined) return undefined
  const count = tallies[3 * index + 1] as number
  if (count === 0) return undefined
  return { sum: tallies[3 * index] as number, count, positive: tallies[3 * index + 2] === 1 }
}

/** A metric's running sums in one arm. */
type Totals = { -readonly [K in keyof MetricTotals]-?: number }

function zero(): Totals {
  return {
    count: 0,
    sum: 0,
    sumSquares: 0,
    denominatorSum: 0,
    denominatorSumSquares: 0,
    sumProducts: 0,
  }
}

/**
 * Adds one user to a metric's running totals: proportion counts 1 when any value > 0 (every
 * exposed user is counted, by the arm); mean adds the user's mean value; ratio adds the user's
 * Σ value over their count of the event. Users without the event add nothing to mean and ratio.
 */
function addUser(t: Totals, kind: 'proportion' | 'mean' | 'ratio', tally: Tally | undefined): void {
  if (kind === 'proportion') {
    if (tally?.positive === true) t.sum++
    return
  }
  if (tally === undefined || tally.count === 0) return
  const x = kind === 'mean' ? tally.sum / tally.count : tally.sum
  const y = tally.count
  t.count++
  t.sum += x
  t.sumSquares += x * x
  t.denominatorSum += y
  t.denominatorSumSquares += y * y
  t.sumProducts += x * y
}

/** The totals a metric of `kind` reports (the core reads only these). */
function totalsOf(kind: 'proportion' | 'mean' | 'ratio', t: Totals, users: number): MetricTotals {
  const { count, sum, sumSquares } = t
  if (kind === 'proportion') return { count: users, sum }
  if (kind === 'mean') return { count, sum, sumSquares }
  return { ...t }
}
