import type { SuiteResult } from '../contracts/results.js'
import { formatEstimate, formatMs, formatUsd } from './format.js'

/** The variants of one configured suite, in run order. */
export interface VariantGroup {
  /** The suite's name in the config. */
  readonly suite: string
  readonly variants: readonly (SuiteResult & {
    readonly variant: NonNullable<SuiteResult['variant']>
  })[]
}

/** The run's suites with variants, grouped by the configured suite they are variants of. */
export function variantGroups(suites: readonly SuiteResult[]): VariantGroup[] {
  const groups = new Map<string, VariantGroup['variants'][number][]>()
  for (const s of suites) {
    if (s.variant === undefined) continue
    const group = groups.get(s.variant.suite) ?? []
    group.push({ ...s, variant: s.variant })
    groups.set(s.variant.suite, group)
  }
  return [...groups].map(([suite, variants]) => ({ suite, variants }))
}

/** Header of a variants table. */
export const VARIANT_HEADER = [
  'variant',
  'prompt',
  'provider',
  'pass rate [95% CI]',
  'score',
  'cost/case',
  'p50',
] as const

/**
 * A variants table's rows, side by side: each variant's prompt version, provider id, pass rate
 * with its interval, mean score, cost per case and p50 latency. Raw text: each reporter makes
 * its cells safe for its own format.
 */
export function variantRows(group: VariantGroup): string[][] {
  return group.variants.map((s) => [
    s.variant.name,
    `${s.prompt.name}@${s.prompt.version}`,
    s.provider.id,
    formatEstimate(s.stats.passRate),
    s.stats.score.value.toFixed(2),
    formatUsd(s.stats.costUsd.perCase),
    formatMs(s.stats.latencyMs.p50),
  ])
}
