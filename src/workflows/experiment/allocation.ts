/**
 * An experiment's allocation as a flagd `fractional` rule, and which users a change of a flag
 * moves. flagd hashes `flagKey + targetingKey` to a fixed point x ∈ [0, 1) per user and serves
 * the bucket whose cumulative share first exceeds x (packages/runtime/src/flags/rollout.ts), so a
 * flag is a list of segments of [0, 1), one per bucket in its order, and what a change does to
 * users is the overlap of the segments before and after. Pure.
 */
import type { FlagDefinition } from '@shipgate/runtime/flags'
import type { MovedUsers } from '../../contracts/experiment-ops.js'

/** The users of [start, end) of the hash range get `variant`. */
export interface Segment {
  readonly variant: string
  readonly start: number
  readonly end: number
}

/**
 * The `fractional` buckets of `allocation`: the treatments in the allocation's order, control
 * last (as `rolloutFlag` lists them, so a two-arm experiment is a rollout `flags ramp` and
 * `experiment ship` can move forward), weighted out of 100 when every share is a whole
 * percentage, else out of 10,000 (largest remainders, so they sum exactly).
 */
export function allocationBuckets(
  allocation: Readonly<Record<string, number>>,
  control: string,
): [string, number][] {
  const names = [...Object.keys(allocation).filter((v) => v !== control), control]
  const total = names.reduce((sum, v) => sum + (allocation[v] ?? 0), 0)
  const shares = names.map((v) => (allocation[v] ?? 0) / total)
  const whole = shares.every((s) => Math.abs(s * 100 - Math.round(s * 100)) < 1e-9)
  const scale = whole ? 100 : 10_000
  const raw = shares.map((s) => s * scale)
  const weights = raw.map(Math.floor)
  let left = scale - weights.reduce((a, b) => a + b, 0)
  const byRemainder = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0])
  for (const [, i] of byRemainder) {
    if (left <= 0) break
    weights[i] = (weights[i] ?? 0) + 1
    left -= 1
  }
  return names.map((v, i) => [v, weights[i] ?? 0])
}

/** The flag serving `allocation` to users with a targetingKey, and control to those without. */
export function allocationFlag(
  flag: FlagDefinition,
  allocation: Readonly<Record<string, number>>,
  control: string,
): FlagDefinition {
  const fractional = allocationBuckets(allocation, control)
  return { ...flag, state: 'ENABLED', defaultVariant: control, targeting: { fractional } }
}

/**
 * What `flag` serves users with a targetingKey, as segments; `null` when its targeting is not
 * a plain `fractional` rule (custom rules, a custom bucketing expression): who gets what cannot
 * be told without evaluating it per user.
 */
export function segmentsOf(flag: FlagDefinition): Segment[] | null {
  if (flag.targeting === undefined) return [{ variant: flag.defaultVariant, start: 0, end: 1 }]
  const args = flag.targeting.fractional
  if (Object.keys(flag.targeting).length !== 1 || !Array.isArray(args)) return null
  if (!args.every(isBucket)) return null
  const total = args.reduce((sum, [, w]) => sum + w, 0)
  if (total <= 0) return null
  let at = 0
  const segments: Segment[] = []
  for (const [variant, weight] of args) {
    if (weight === 0) continue
    segments.push({ variant, start: at / total, end: (at + weight) / total })
    at += weight
  }
  return merge(segments)
}

/** Whether two flags serve every user with a targetingKey the same variant. */
export function sameSegments(a: readonly Segment[], b: readonly Segment[]): boolean {
  const ma = merge(a)
  const mb = merge(b)
  return (
    ma.length === mb.length &&
    ma.every((s, i) => {
      const t = mb[i] as Segment
      return s.variant === t.variant && near(s.start, t.start) && near(s.end, t.end)
    })
  )
}

/** Users (as a percentage, two decimals) whose variant changes from `before` to `after`. */
export function movedUsers(before: readonly Segment[], after: readonly Segment[]): MovedUsers[] {
  const moved = new Map<string, MovedUsers>()
  for (const b of before) {
    for (const a of after) {
      const overlap = Math.min(a.end, b.end) - Math.max(a.start, b.start)
      if (overlap <= 1e-12 || a.variant === b.variant) continue
      const key = `${b.variant}\u0000${a.variant}`
      const percent = (moved.get(key)?.percent ?? 0) + overlap * 100
      moved.set(key, { from: b.variant, to: a.variant, percent })
    }
  }
  return [...moved.values()].map((m) => ({ ...m, percent: Math.round(m.percent * 100) / 100 }))
}

/** Adjacent segments of one variant as one. */
function merge(segments: readonly Segment[]): Segment[] {
  const out: Segment[] = []
  for (const s of segments) {
    const last = out.at(-1)
    if (last !== undefined && last.variant === s.variant && near(last.end, s.start)) {
      out[out.length - 1] = { ...last, end: s.end }
    } else out.push(s)
  }
  return out
}

function near(a: number, b: number): boolean {
  return Math.abs(a - b) < 1e-9
}

function isBucket(value: unknown): value is readonly [string, number] {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === 'string' &&
    Number.isInteger(value[1]) &&
    (value[1] as number) >= 0
  )
}
