/**
 * The canary step of `shipgate deploy` with `rollout.strategy: canary`: the plan's steps one by
 * one — shift the canary's weight, pause, or analyze it against the stable release serving at
 * the same time after every interval — each recorded before the next begins. A failed analysis
 * (or an inconclusive one, by the rules) ends the step as failed, and the deploy rolls back.
 */
import type { StepOutcome } from '../../contracts/deploy.js'
import type { MetricSource } from '../../contracts/metrics.js'
import type { Rollout } from '../../config/rollout.js'
import { analyzeCanary, type CanaryWindow } from '../../core/rollout/canary.js'
import { decideAnalysis, describeStep, type CanaryStep } from '../../core/rollout/canary-plan.js'
import { ConfigError } from '../../errors.js'

/** What the canary step needs from the deploy: the target, the metrics, time. */
export interface CanaryDeps {
  readonly rollout: Rollout
  /** Sends `percent` of the traffic to the canary. */
  shift(percent: number): Promise<StepOutcome>
  /** Both releases' traffic over a window. */
  window(startMs: number, endMs: number, signal: AbortSignal): Promise<CanaryWindow>
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
  readonly status: 'running' | 'passed' | 'failed'
  readonly detail: string
}

/**
 * Runs the plan's steps in order. Analysis windows accumulate over every analysis step (the
 * tests take each interval's traffic split as it was), so evidence gathered at 5% still counts
 * at 25%. Stops at the first failed step with its reason; on an abort signal, stops with
 * "interrupted".
 */
export async function runCanary(deps: CanaryDeps): Promise<StepOutcome> {
  const { steps } = deps.rollout
  const windows: CanaryWindow[] = []
  const lines: string[] = []
  for (const [index, step] of steps.entries()) {
    if (deps.signal.aborted) return { ok: false, reason: 'interrupted', detail: lines.join('\n') }
    const event = { index, total: steps.length, step }
    await deps.onStep?.({ ...event, status: 'running', detail: describeStep(step) })
    const outcome = await runStepOf(step, deps, windows)
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

async function runStepOf(
  step: CanaryStep,
  deps: CanaryDeps,
  windows: CanaryWindow[],
): Promise<StepOutcome> {
  switch (step.kind) {
    case 'weight':
      return deps.shift(step.percent)
    case 'pause': {
      if (step.durationMs === null) {
        return { ok: false, reason: 'a pause until promoted needs `shipgate canary promote`' }
      }
      await deps.sleep(step.durationMs, deps.signal)
      return deps.signal.aborted
        ? { ok: false, reason: 'interrupted' }
        : { ok: true, detail: 'waited' }
    }
    case 'analysis':
      return analyze(step, deps, windows)
  }
}

async function analyze(
  step: Extract<CanaryStep, { kind: 'analysis' }>,
  deps: CanaryDeps,
  windows: CanaryWindow[],
): Promise<StepOutcome> {
  const started = deps.now()
  for (;;) {
    const from = deps.now()
    await deps.sleep(step.intervalMs, deps.signal)
    if (deps.signal.aborted) return { ok: false, reason: 'interrupted' }
    const to = deps.now()
    try {
      windows.push(await deps.window(from, to, deps.signal))
    } catch (error) {
      return { ok: false, reason: `the metrics could not be read: ${(error as Error).message}` }
    }
    const analysis = analyzeCanary(windows, deps.rollout.rules)
    const elapsedMs = to - started
    const extensions = Math.max(0, Math.ceil(elapsedMs / step.durationMs) - 1)
    const decision = decideAnalysis(
      analysis,
      step,
      { elapsedMs, extensions },
      deps.rollout.stepRules,
    )
    switch (decision.action) {
      case 'watch':
        continue
      case 'next':
        return { ok: true, detail: `passed: ${decision.reason}` }
      case 'abort':
        return { ok: false, reason: `canary failed: ${decision.reason}` }
      case 'pause':
        return { ok: false, reason: `canary paused: ${decision.reason}` }
    }
  }
}

/** Reads both releases' windows from a metric source that can count traffic per release. */
export function sourceWindows(
  source: MetricSource,
  canary: string,
  stable: string,
): CanaryDeps['window'] {
  const readWindow = source.readWindow?.bind(source)
  if (readWindow === undefined) {
    throw new ConfigError([
      {
        file: 'the config',
        line: 0,
        message: `the ${source.type} metric source cannot count traffic per release, which a canary analysis needs`,
        hint: 'use the endpoint source on the runtime SDK, or prometheus',
      },
    ])
  }
  return async (startMs, endMs, signal) => {
    const window = { startMs, endMs }
    const [c, s] = await Promise.all([
      readWindow({ release: canary }, window, signal),
      readWindow({ release: stable }, window, signal),
    ])
    return { canary: c, stable: s }
  }
}
