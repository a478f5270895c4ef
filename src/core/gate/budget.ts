import type { BudgetStanding, GateCheck } from '../../contracts/gate.js'
import type { ResultsDocument } from '../../contracts/results.js'
import { runSpend, spentUsd } from './bill.js'

/** `gate.budget`: what CI may spend in a calendar month (UTC), and what passing it does. */
export interface BudgetRule {
  readonly monthlyUsd: number
  /** The projection warns from this share of the budget on. */
  readonly warnAt: number
  /** Spend over the budget (or surely heading there) fails the gate, or only warns. */
  readonly onExceed: 'fail' | 'warn'
}

/** What one run spent (models and judges, replayed answers not counted) and when it started. */
export interface RunCost {
  readonly startedAt: string
  readonly spentUsd: number
}

/** What the gate needs to judge the month's CI spend. */
export interface BudgetInput {
  readonly rule: BudgetRule
  /** The month's stored runs up to `now`, the gated run left out (it is counted once, at `now`). */
  readonly stored: readonly RunCost[]
  readonly now: Date
}

/** The budget's standing with the gated run counted, and its gate check. */
export function judgeBudget(
  input: BudgetInput,
  current: ResultsDocument,
): { standing: BudgetStanding; check: GateCheck } {
  const currentUsd = spentUsd(runSpend(current.summary))
  const runs = [...input.stored, { startedAt: input.now.toISOString(), spentUsd: currentUsd }]
  const standing = budgetStanding(input.rule, runs, currentUsd, input.now)
  return { standing, check: budgetCheck(input.rule, standing) }
}

const DAY_MS = 86_400_000
/** One-sided 95%: the lower bound of the projection that must pass the budget to fail. */
const Z_95 = 1.645

/**
 * Where the month `now` falls in (UTC) stands against the budget, from what `runs` spent (the
 * month's stored runs and the gated run, each once). The projection is spent so far plus a
 * run rate for every day left: the mean spend of the month's completed weekdays for weekdays,
 * of its completed weekend days for weekend days (CI runs follow the working week); today's
 * rest counts by the share of it left. `over` when spent reaches the budget, or when the
 * projection's one-sided 95% lower bound (the weekday mean less 1.645 standard errors, from
 * two completed weekdays on) does; `warn` when the projection reaches `warnAt` of the budget.
 */
export function budgetStanding(
  rule: BudgetRule,
  runs: readonly RunCost[],
  currentUsd: number,
  now: Date,
): BudgetStanding {
  const month = monthOf(now)
  const days = dailySpend(runs, month.start, now)
  const spentUsd = runs.reduce((sum, r) => sum + r.spentUsd, 0)
  const weekdays = days.filter((d) => !d.weekend).map((d) => d.usd)
  const weekends = days.filter((d) => d.weekend).map((d) => d.usd)
  const left = daysLeft(now, month.end)
  const weekdayRate =
    weekdays.length > 0 ? mean(weekdays) : spentUsd / Math.max(1, elapsed(month.start, now))
  const weekendRate = weekends.length > 0 ? mean(weekends) : weekdays.length > 0 ? 0 : weekdayRate
  const projectedUsd = spentUsd + weekdayRate * left.weekdays + weekendRate * left.weekends
  const low =
    weekdays.length < 2
      ? null
      : spentUsd +
        Math.max(0, weekdayRate - (Z_95 * sd(weekdays)) / Math.sqrt(weekdays.length)) *
          left.weekdays +
        weekendRate * left.weekends
  const budget = rule.monthlyUsd
  const outcome =
    spentUsd >= budget || (low !== null && low >= budget)
      ? 'over'
      : projectedUsd >= budget * rule.warnAt
        ? 'warn'
        : 'under'
  return {
    month: month.key,
    monthlyUsd: budget,
    warnAt: rule.warnAt,
    spentUsd,
    currentUsd,
    runs: runs.length,
    daysElapsed: elapsed(month.start, now),
    daysInMonth: Math.round((month.end - month.start) / DAY_MS),
    projectedUsd,
    projectedLowUsd: low,
    outcome,
  }
}

/** The first instant of the UTC month `now` falls in, as an ISO time. */
export function monthStart(now: Date): string {
  return new Date(monthOf(now).start).toISOString()
}

function monthOf(now: Date): { key: string; start: number; end: number } {
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)
  return { key: new Date(start).toISOString().slice(0, 7), start, end }
}

function elapsed(start: number, now: Date): number {
  return (now.getTime() - start) / DAY_MS
}

function isWeekend(t: number): boolean {
  const day = new Date(t).getUTCDay()
  return day === 0 || day === 6
}

/** The spend of each completed day of the month (today is not complete), runs by start. */
function dailySpend(runs: readonly RunCost[], start: number, now: Date) {
  const today = Math.floor((now.getTime() - start) / DAY_MS)
  const days = Array.from({ length: today }, (_, i) => ({
    weekend: isWeekend(start + i * DAY_MS),
    usd: 0,
  }))
  for (const run of runs) {
    const day = days[Math.floor((Date.parse(run.startedAt) - start) / DAY_MS)]
    if (day !== undefined) day.usd += run.spentUsd
  }
  return days
}

/** Weekdays and weekend days from `now` to the month's end, today's rest as a fraction. */
function daysLeft(now: Date, end: number): { weekdays: number; weekends: number } {
  const left = { weekdays: 0, weekends: 0 }
  const midnight = Math.floor(now.getTime() / DAY_MS) * DAY_MS
  for (let t = midnight; t < end; t += DAY_MS) {
    const share = Math.min(1, (t + DAY_MS - now.getTime()) / DAY_MS)
    if (isWeekend(t)) left.weekends += share
    else left.weekdays += share
  }
  return left
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length
}

function sd(xs: readonly number[]): number {
  const m = mean(xs)
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1))
}

/** The gate's `budget` check: figures in the message, `onExceed` deciding what over does. */
export function budgetCheck(rule: BudgetRule, standing: BudgetStanding): GateCheck {
  const status =
    standing.outcome === 'under'
      ? 'passed'
      : standing.outcome === 'warn' || rule.onExceed === 'warn'
        ? 'warned'
        : 'failed'
  return {
    id: 'budget',
    kind: 'budget',
    name: `monthly CI budget (${standing.month})`,
    status,
    actual: standing.projectedUsd,
    limit: standing.monthlyUsd,
    message: budgetMessage(standing),
    approval: 'budget',
  }
}

const usd = (v: number) => `$${v.toFixed(2)}`

function budgetMessage(s: BudgetStanding): string {
  const runs = `${s.runs} run${s.runs === 1 ? '' : 's'}`
  const spent = `spent ${usd(s.spentUsd)} in ${runs} (this one ${usd(s.currentUsd)}) by day ${s.daysElapsed.toFixed(1)} of ${s.daysInMonth}`
  const low = s.projectedLowUsd === null ? '' : `, at least ${usd(s.projectedLowUsd)} at 95%`
  const projected = `projected ${usd(s.projectedUsd)} by month end${low}`
  const budget = usd(s.monthlyUsd)
  const verdict =
    s.outcome === 'over'
      ? s.spentUsd >= s.monthlyUsd
        ? `already over the budget of ${budget}`
        : `over the budget of ${budget}`
      : s.outcome === 'warn'
        ? s.projectedUsd >= s.monthlyUsd
          ? `heading over the budget of ${budget}, not yet surely`
          : `past ${Math.round(s.warnAt * 100)}% of the budget of ${budget}`
        : `within the budget of ${budget}`
  return `${spent}; ${projected}: ${verdict}`
}
