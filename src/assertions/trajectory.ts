import type { AssertionType, Check, Grade } from '../contracts/assertion.js'
import type { ToolCall } from '../contracts/provider.js'
import * as z from '../utils/zod.js'
import {
  callMatches,
  callsOf,
  describeExpected,
  expectedCall,
  sequenceOf,
  type ExpectedCall,
} from './tool-calls.js'

/*
 * `trajectory`: the sequence of tool calls of a run against an expected one. A step is one
 * tool call, numbered from 1 in the order the run made them (docs/assertions.md#trajectory).
 */

const MODES = ['exact', 'in-order', 'any-order'] as const
type Mode = (typeof MODES)[number]

const trajectoryValue = z
  .strictObject({
    steps: z._default(z.array(expectedCall), []),
    mode: z._default(z.enum(MODES), 'exact'),
    maxSteps: z.optional(z.int().check(z.positive())),
  })
  .check(
    z.refine((v) => v.steps.length > 0 || v.maxSteps !== undefined, {
      message: 'give `steps`, `maxSteps` or both',
    }),
  )

type TrajectoryValue = z.output<typeof trajectoryValue>

/** A match of the expected steps: how many matched, and what went wrong first. */
interface Match {
  readonly matched: number
  readonly problem?: string
}

/**
 * `trajectory`: the run's tool calls (`trajectory`, else the answer's `toolCalls`) follow the
 * expected steps — `exact`: the same sequence; `in-order`: the steps in this order, other calls
 * between them allowed; `any-order`: each step somewhere (a step written twice needs two calls)
 * — and number at most `maxSteps`. The score is the share of expected steps matched (scaled down
 * by an overrun); only a full match within the budget passes.
 */
export const trajectory: AssertionType<TrajectoryValue> = {
  type: 'trajectory',
  negatable: false,
  value: trajectoryValue,
  prepare: (value) => trajectoryCheck(value),
}

const MATCHERS: Record<
  Mode,
  (calls: readonly ToolCall[], steps: readonly ExpectedCall[]) => Match
> = {
  exact: matchExact,
  'in-order': matchInOrder,
  'any-order': matchAnyOrder,
}

function trajectoryCheck({ steps, mode, maxSteps }: TrajectoryValue): Check {
  const match = MATCHERS[mode]
  return (input): Grade => {
    const calls = callsOf(input)
    // Without steps the assertion is a budget only: any sequence matches.
    const { matched, problem } =
      steps.length === 0 ? { matched: 0, problem: undefined } : match(calls, steps)
    const share = steps.length === 0 ? 1 : matched / steps.length
    const over = maxSteps !== undefined && calls.length > maxSteps
    const score = over ? Math.min(share, maxSteps / calls.length) : share
    const seen = `calls: ${sequenceOf(calls)}`
    const problems: string[] = []
    if (problem !== undefined) problems.push(problem)
    if (over) {
      const first = calls[maxSteps] as ToolCall
      problems.push(
        `step ${maxSteps + 1} (${first.name}) exceeds the budget of ${plural(maxSteps, 'step')} (${calls.length} calls)`,
      )
    }
    if (problems.length > 0)
      return { pass: false, score, reason: `${problems.join('; ')}; ${seen}` }
    const budget =
      maxSteps === undefined ? '' : `, within the budget of ${plural(maxSteps, 'step')}`
    const what = steps.length === 0 ? plural(calls.length, 'call') : `${mode} trajectory matched`
    return { pass: true, score, reason: `${what}${budget}; ${seen}` }
  }
}

/** `exact`: call i is step i, for every i, and there are as many calls as steps. */
function matchExact(calls: readonly ToolCall[], steps: readonly ExpectedCall[]): Match {
  let matched = 0
  let problem: string | undefined
  const n = Math.max(calls.length, steps.length)
  for (let i = 0; i < n; i++) {
    const call = calls[i]
    const step = steps[i]
    if (call !== undefined && step !== undefined && callMatches(call, step)) {
      matched++
      continue
    }
    problem ??=
      step === undefined
        ? `step ${i + 1} (${(call as ToolCall).name}) is extra: expected ${steps.length} steps`
        : call === undefined
          ? `step ${i + 1} is missing: expected ${describeExpected(step)}`
          : `step ${i + 1} is ${describedAs(call, step)}, expected ${describeExpected(step)}`
  }
  return problem === undefined ? { matched } : { matched: matched * (steps.length / n), problem }
}

/** `in-order`: the steps are a subsequence of the calls (the earliest match of each is taken). */
function matchInOrder(calls: readonly ToolCall[], steps: readonly ExpectedCall[]): Match {
  let next = 0
  let lastAt = -1
  for (let i = 0; i < calls.length && next < steps.length; i++) {
    if (callMatches(calls[i] as ToolCall, steps[next] as ExpectedCall)) {
      next++
      lastAt = i
    }
  }
  if (next === steps.length) return { matched: next }
  const missing = describeExpected(steps[next] as ExpectedCall)
  const after =
    next === 0 ? 'in any step' : `after step ${lastAt + 1} (${(calls[lastAt] as ToolCall).name})`
  return {
    matched: next,
    problem: `expected step ${next + 1} of ${steps.length}, ${missing}, not found ${after}`,
  }
}

/**
 * `any-order`: every step matched by a call of its own. Steps with arguments can compete for
 * calls, so this is a bipartite matching (augmenting paths; runs are short), not a greedy pass.
 */
function matchAnyOrder(calls: readonly ToolCall[], steps: readonly ExpectedCall[]): Match {
  const owner = new Array<number>(calls.length).fill(-1)
  const assign = (s: number, seen: boolean[]): boolean => {
    for (let c = 0; c < calls.length; c++) {
      if (seen[c] === true || !callMatches(calls[c] as ToolCall, steps[s] as ExpectedCall)) continue
      seen[c] = true
      if (owner[c] === -1 || assign(owner[c] as number, seen)) {
        owner[c] = s
        return true
      }
    }
    return false
  }
  const missing: string[] = []
  steps.forEach((step, s) => {
    if (!assign(s, [])) missing.push(`step ${s + 1} (${describeExpected(step)})`)
  })
  const matched = steps.length - missing.length
  if (missing.length === 0) return { matched }
  return { matched, problem: `no call matches ${missing.join(', ')}` }
}

/** A call as the mismatch report shows it: its name, or its arguments when the name matched. */
function describedAs(call: ToolCall, step: ExpectedCall): string {
  if (call.name !== step.name || step.arguments === undefined) return call.name
  return describeExpected({ name: call.name, arguments: call.arguments as Record<string, unknown> })
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}
