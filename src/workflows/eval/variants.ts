/** Which variants of the selected suites a run plans (`--variant`), and what each runs as. */
import type { LoadedConfig, LoadedSuite, LoadedVariant } from '../../config/load.js'
import { variantSuiteName, type SuiteVariant } from '../../contracts/results.js'
import { usageError } from '../../errors.js'

/**
 * The variants of `suite` a run keeps: all without a filter; with one, only the named variants,
 * so a suite without variants is left out.
 */
export function chosenVariants(
  suite: LoadedSuite,
  filter: readonly string[] | undefined,
): readonly LoadedVariant[] {
  if (filter === undefined || filter.length === 0) return suite.variants
  return suite.variants.filter((v) => v.name !== undefined && filter.includes(v.name))
}

/** Refuses a `--variant` that no selected suite has, listing those they have. */
export function checkVariantFilter(
  loaded: LoadedConfig,
  suites: readonly string[],
  filter: readonly string[] | undefined,
): void {
  if (filter === undefined || filter.length === 0) return
  const selected = loaded.suites.filter((s) => suites.length === 0 || suites.includes(s.name))
  const known = [...new Set(selected.flatMap((s) => s.variants.flatMap((v) => v.name ?? [])))]
  const unknown = filter.filter((v) => !known.includes(v))
  if (unknown.length === 0) return
  throw usageError(
    `unknown variant ${unknown.map((v) => `"${v}"`).join(', ')}`,
    known.length === 0
      ? 'no selected suite has variants: drop --variant, or add `variants:` or `matrix:` to a suite'
      : `variants of the selected suites: ${known.join(', ')}`,
  )
}

/** The run's name of a variant of `suite`, and the variant it records; the suite's own without one. */
export function variantIdentity(
  suite: string,
  variant: LoadedVariant,
): { readonly name: string; readonly variant?: SuiteVariant } {
  if (variant.name === undefined) return { name: suite }
  return { name: variantSuiteName(suite, variant.name), variant: { suite, name: variant.name } }
}
