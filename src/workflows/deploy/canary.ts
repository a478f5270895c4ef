/**
 * The canary step of `shipgate deploy` with `rollout.strategy: canary`: the plan's steps one by
 * one — shift the canary's weight, pause, or analyze it against the stable release serving at
 * the same time after every interval — each recorded before the next begins. A failed analysis
 * (or an inconclusive one, by the rules) ends the step as failed, and the deploy rolls back.
 */
import type { ControlRequest, StepOutcome } from '../../contracts/deploy.js'
import type { MetricSource } from '../../contracts/metrics.js'
import type { Rollout } from '../../config/rollout.js'
import { analyzeCanary, type CanaryWindow } from '../../core/rollout/canary.js'
import { decideAnalysis, describeStep, type CanaryStep } from '../../core/rollout/canary-plan.js'
import { ShipgateError } from '../../errors.js'
import { readPair } from '../../metric-sources/index.js'

/** What the canary step needs from the deploy: the target, the metrics, time. */
export interface CanaryDeps {
  readonly rollout: Rollout
  /** Sends `percent` of the traffic to the canary. */
  shift(percent: number): Promise<StepOutcome>
  /** Both releases' traffic over a window. */
  window(startMs: number, endMs: number, signal: AbortSignal): Promise<CanaryWindow>
  /**
   * Marks where the next window starts, for sources that count from their previous read (the
   * service's own endpoint); called as an analysis step begins.
   */
  prime?(signal: AbortSignal): Promise<void>
  /** The latest request of `shipgate canary pause|resume|promote|abort`; null when none. */
  readonly control?: () => Promise<ControlRequest | null>
  /** How often waits look for a control request (default 1 s). */
  readonly pollMs?: number
  readonly now: () => number
  /** Waits `ms` (or until the signal aborts). */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>
  readonly signal: AbortSignal
  /** Each step as it starts and ends, for the record and progress; awaited. */
  readonly onStep?: (event: CanaryStepEvent) => Promise<void> | void
}

/** One canary step starting or ending. */
export interface CanaryStepEvent {
  /** 0-based index in the plan, and the plan's length. */
  readonly index: number
  readonly total: number
  readonly step: CanaryStep
  readonly status: 'running' | 'passed' | 'failed' | 'paused'
  readonly detail: string
}

/** How a wait ended: its time ran out, or a person promoted, aborted or resumed the canary. */
type Woken = 'elapsed' | 'promote' | 'abort' | 'resume' | 'interrupted'

/** A step's end, or a person's decision that ends the canary early. */
type StepEnd = StepOutcome | { readonly ok: 'promote' }

/**
 * Runs the plan's steps in order. Analysis windows accumulate over every analysis step (the
 * tests take each interval's traffic split as it was), so evidence gathered at 5% still counts
 * at 25%. Stops at the first failed step with its reason; on an abort signal, stops with
 * "interrupted". Between and during steps it obeys `shipgate canary`: `pause` holds the canary
 * where it is (analyses keep judging, and a failure still aborts), `resume` lets it go on (and
 * past a pause until promoted), `promote` gives the new release all the traffic at once, `abort`
 * fails the step so the deploy rolls back.
 */
export async function runCanary(deps: CanaryDeps): Promise<StepOutcome> {
  const { steps } = deps.rollout
  const windows: CanaryWindow[] = []
  const lines: string[] = []
  const since = new Date(deps.now()).toISOString()
  const control = new Control(deps, since)
  for (const [index, step] of steps.entries()) {
    const event = { index, total: steps.length, step }
    const held = await control.hold(deps.onStep, { ...event, status: 'paused', detail: 'paused' })
    let outcome: StepEnd
    if (held === 'promote' || held === 'abort' || held === 'interrupted') outcome = ended(held)
    else {
      await deps.onStep?.({ ...event, status: 'running', detail: describeStep(step) })
      outcome = await runStepOf(step, deps, windows, control, (detail) =>
        deps.onStep?.({ ...event, status: 'paused', detail }),
      )
    }
    if (outcome.ok === 'promote') return promote(deps, lines)
    const line = `${index + 1}/${steps.length} ${describeStep(step)}: ${outcome.ok ? outcome.detail : outcome.reason}`
    lines.push(line)
    await deps.onStep?.({
      ...event,
      status: outcome.ok ? 'passed' : 'failed',
      detail: outcome.ok ? outcome.detail : outcome.reason,
    })
    if (!outcome.ok) return { ok: false, reason: outcome.reason, detail: lines.join('\n') }
  }
  return { ok: true, detail: lines.join('\n') }
}

function ended(woken: 'promote' | 'abort' | 'interrupted'): StepEnd {
  if (woken === 'promote') return { ok: 'promote' }
  return woken === 'abort'
    ? { ok: false, reason: 'aborted by `shipgate canary abort`' }
    : { ok: false, reason: 'interrupted' }
}

async function promote(deps: CanaryDeps, lines: string[]): Promise<StepOutcome> {
  const moved = await deps.shift(100)
  lines.push(`promoted by \`shipgate canary promote\`: ${moved.ok ? moved.detail : moved.reason}`)
  return moved.ok
    ? { ok: true, detail: lines.join('\n') }
    : { ok: false, reason: moved.reason, detail: lines.join('\n') }
}

/** The canary's view of `shipgate canary`: requests made since it began count. */
class Control {
  constructor(
    private readonly deps: CanaryDeps,
    private readonly since: string,
  ) {}

  /** The latest request made since the canary began, if any. */
  private async latest(): Promise<ControlRequest | null> {
    const request = (await this.deps.control?.()) ?? null
    return request !== null && request.at >= this.since ? request : null
  }

  /**
   * Waits `ms` in slices, looking for requests: a pause stops the clock until a resume;
   * `until` (a pause until promoted) waits for a resume made after `from` instead of the time.
   */
  async wait(ms: number | null, from: string): Promise<Woken> {
    const { deps } = this
    const poll = deps.pollMs ?? 1000
    let left = ms ?? Infinity
    for (;;) {
      if (deps.signal.aborted) return 'interrupted'
      const request = await this.latest()
      if (request?.action === 'promote' || request?.action === 'abort') return request.action
      const paused = request?.action === 'pause'
      if (ms === null && request?.action === 'resume' && request.at > from) return 'resume'
      if (!paused && left <= 0) return 'elapsed'
      const slice = paused ? poll : Math.min(poll, left)
      const before = deps.now()
      await deps.sleep(slice, deps.signal)
      if (!paused) left -= deps.now() - before
    }
  }

  /** Before a step: waits while paused (reporting it once); promote, abort or on. */
  async hold(onStep: CanaryDeps['onStep'], paused: CanaryStepEvent): Promise<Woken> {
    if (this.deps.signal.aborted) return 'interrupted'
    const request = await this.latest()
    if (request?.action === 'promote' || request?.action === 'abort') return request.action
    if (request?.action !== 'pause') return 'elapsed'
    await onStep?.(paused)
    return this.wait(0, request.at)
  }
}

/** Reports that a step holds the canary until a person decides (why, in `detail`). */
type OnHold = (detail: string) => Promise<void> | void

async function runStepOf(
  step: CanaryStep,
  deps: CanaryDeps,
  windows: CanaryWindow[],
  control: Control,
  onHold: OnHold,
): Promise<StepEnd> {
  switch (step.kind) {
    case 'weight':
      return deps.shift(step.percent)
    case 'pause': {
      if (step.durationMs === null)
        await onHold('waiting for `shipgate canary resume` or `promote`')
      const woken = await control.wait(step.durationMs, new Date(deps.now()).toISOString())
      if (woken === 'elapsed') return { ok: true, detail: 'waited' }
      if (woken === 'resume') return { ok: true, detail: 'resumed by `shipgate canary resume`' }
      return ended(woken)
    }
    case 'analysis':
      return analyze(step, deps, windows, control, onHold)
  }
}

async function analyze(
  step: Extract<CanaryStep, { kind: 'analysis' }>,
  deps: CanaryDeps,
  windows: CanaryWindow[],
  control: Control,
  onHold: OnHold,
): Promise<StepEnd> {
  try {
    await deps.prime?.(deps.signal)
  } catch (error) {
    return { ok: false, reason: `the metrics could not be read: ${(error as Error).message}` }
  }
  const started = deps.now()
  let held = 0
  for (;;) {
    const from = deps.now()
    const woken = await control.wait(step.intervalMs, new Date(from).toISOString())
    if (woken !== 'elapsed' && woken !== 'resume') return ended(woken)
    const to = deps.now()
    try {
      windows.push(await deps.window(from, to, deps.signal))
    } catch (error) {
      return { ok: false, reason: `the metrics could not be read: ${(error as Error).message}` }
    }
    // Time spent paused by a person does not count towards the step's duration.
    held += Math.max(0, to - from - step.intervalMs)
    const analysis = analyzeCanary(windows, deps.rollout.rules)
    const decision = decideAnalysis(analysis, step, to - started - held, deps.rollout.stepRules)
    switch (decision.action) {
      case 'watch':
        continue
      case 'next':
        return { ok: true, detail: `passed: ${decision.reason}` }
      case 'abort':
        return { ok: false, reason: decision.reason }
      case 'pause': {
        // Inconclusive, and the rules say a person decides: hold until they do.
        await onHold(
          `${decision.reason}; waiting for \`shipgate canary resume\`, \`promote\` or \`abort\``,
        )
        const decided = await control.wait(null, new Date(deps.now()).toISOString())
        if (decided === 'resume' || decided === 'elapsed') {
          return { ok: true, detail: `resumed: ${decision.reason}` }
        }
        return ended(decided)
      }
    }
  }
}

/**
 * Reads both releases' windows from a metric source that can count traffic per release; `prime`
 * is set for sources that cannot look back (they count from their previous read).
 */
export function sourceWindows(
  source: MetricSource,
  canary: string,
  stable: string,
): Pick<CanaryDeps, 'window' | 'prime'> {
  if (source.readWindow === undefined) {
    throw new ShipgateError(
      'config',
      `the ${source.type} metric source cannot count traffic per release, which a canary analysis needs`,
      { hint: 'set monitor.source to the endpoint source (Prometheus text) or prometheus' },
    )
  }
  const releases = { canary, stable }
  const both = (startMs: number, endMs: number, signal: AbortSignal) =>
    readPair(source, releases, { startMs, endMs }, signal)
  if (source.readSeries !== undefined) return { window: both }
  return {
    window: both,
    prime: async (signal) => {
      const now = Date.now()
      await both(now, now, signal)
    },
  }
}
