/**
 * A suite's variants (`variants:` or `matrix:`): each a prompt on a provider, the suite's own
 * prompt and provider being their defaults. Resolved once when the config loads, so that what
 * plans, selects or opens providers reads one list per suite.
 */
import { variantSuiteName } from '../contracts/results.js'
import type { ConfigIssue } from '../errors.js'
import { providerSchema, type ProviderConfig } from '../providers/schemas.js'
import { mergeProviders, settingPlace } from './overrides.js'
import { referenceIssue, type Section } from './rules.js'
import type { Config, SuiteConfig } from './schema.js'
import type { PathKey, Source } from './source.js'

/** One way a suite runs: a prompt on a provider. */
export interface LoadedVariant {
  /** The variant's name; absent for a suite without variants, which runs as itself. */
  readonly name?: string
  /** The entry under `prompts`. */
  readonly prompt: string
  /** The entry under `providers`. */
  readonly provider: string
  /**
   * The name the run's provider goes by: `provider`, or `provider(suite[variant])` for a
   * variant with `params`, whose settings are its own ({@link VariantsOf.providers}).
   */
  readonly instance: string
}

/** Every suite's variants, and the providers that variants' `params` made. */
export interface VariantsOf {
  readonly suites: ReadonlyMap<string, readonly LoadedVariant[]>
  /** Provider configs of the variants with `params`, by {@link LoadedVariant.instance}. */
  readonly providers: ReadonlyMap<string, ProviderConfig>
  readonly issues: readonly ConfigIssue[]
}

/** A variant as written, before its references are checked. */
interface Written {
  readonly name?: string
  readonly prompt?: string
  readonly provider?: string
  readonly params?: Readonly<Record<string, unknown>>
  /** Where it is written: the variant's entry, or the suite's. */
  readonly path: readonly PathKey[]
  /** For a matrix variant: where each of its names is written. */
  readonly at?: { readonly prompt?: readonly PathKey[]; readonly provider?: readonly PathKey[] }
}

/**
 * Resolves the variants of every suite of a validated config. `rawProviders` are the provider
 * entries as written (overrides merged in), over which a variant's `params` merge before the
 * result is validated again. Problems come back as issues with positions.
 */
export function resolveVariants(config: Config, rawProviders: unknown, source: Source): VariantsOf {
  const suites = new Map<string, LoadedVariant[]>()
  const providers = new Map<string, ProviderConfig>()
  const issues: ConfigIssue[] = []
  for (const [name, suite] of Object.entries(config.suites)) {
    const written = writtenVariants(name, suite, source, issues)
    const resolved: LoadedVariant[] = []
    for (const variant of written) {
      const found = resolveOne(config, name, variant, source, issues)
      if (found === undefined) continue
      if (variant.params !== undefined && variant.name !== undefined) {
        const made = withParams(rawProviders, found.provider, variant.params)
        if ('config' in made) providers.set(found.instance, made.config)
        else issues.push(paramsIssue(source, name, variant, found.provider, made.problem))
      }
      resolved.push(found)
    }
    suites.set(name, resolved)
  }
  // Each variant of a matrix without a prompt axis lacks the same prompt: say it once.
  const unique = [...new Map(issues.map((i) => [JSON.stringify(i), i])).values()]
  return { suites, providers, issues: unique }
}

/** The variants of one suite as written, defaults not yet applied: one unnamed without any. */
function writtenVariants(
  name: string,
  suite: SuiteConfig,
  source: Source,
  issues: ConfigIssue[],
): Written[] {
  const at = ['suites', name]
  if (suite.variants !== undefined && suite.matrix !== undefined) {
    issues.push({
      file: source.file,
      ...source.locate([...at, 'matrix']),
      message: `suite "${name}" has both variants and matrix`,
      hint: 'keep one: `variants` names each combination, `matrix` crosses lists of prompts and providers',
    })
    return []
  }
  if (suite.matrix !== undefined) return matrixVariants(name, suite.matrix, source, issues)
  if (suite.variants === undefined) return [{ path: at }]
  const entries = Object.entries(suite.variants)
  if (entries.length === 0) {
    issues.push({
      file: source.file,
      ...source.locate([...at, 'variants']),
      message: `suite "${name}" has an empty variants map`,
      hint: 'name at least one variant, or remove `variants:`',
    })
  }
  return entries.map(([variant, v]) => ({
    ...v,
    name: variant,
    path: [...at, 'variants', variant],
  }))
}

/** A matrix's cross product: prompts outer, providers inner, named `prompt@provider`. */
function matrixVariants(
  name: string,
  matrix: NonNullable<SuiteConfig['matrix']>,
  source: Source,
  issues: ConfigIssue[],
): Written[] {
  const at = ['suites', name, 'matrix']
  const issue = (path: PathKey[], message: string, hint: string) =>
    issues.push({ file: source.file, ...source.locate(path), message, hint })
  if (matrix.prompt === undefined && matrix.provider === undefined) {
    issue(
      at,
      `the matrix of suite "${name}" has no axis`,
      'list `prompt:` names, `provider:` names or both',
    )
    return []
  }
  for (const axis of ['prompt', 'provider'] as const) {
    const values = matrix[axis] ?? []
    const twice = values.findIndex((v, i) => values.indexOf(v) !== i)
    if (twice >= 0) {
      issue(
        [...at, axis, twice],
        `"${values[twice]}" is twice in the ${axis} axis of suite "${name}"`,
        'list each name once',
      )
      return []
    }
  }
  const prompts = matrix.prompt?.map((p, i) => ({ p, at: [...at, 'prompt', i] })) ?? [undefined]
  const providers = matrix.provider?.map((p, i) => ({ p, at: [...at, 'provider', i] })) ?? [
    undefined,
  ]
  return prompts.flatMap((prompt) =>
    providers.map((provider) => ({
      name: [prompt?.p, provider?.p].filter((n) => n !== undefined).join('@'),
      path: at,
      ...(prompt === undefined ? {} : { prompt: prompt.p }),
      ...(provider === undefined ? {} : { provider: provider.p }),
      at: { prompt: prompt?.at, provider: provider?.at },
    })),
  )
}

/** A written variant with the suite's defaults, when both its names exist. */
function resolveOne(
  config: Config,
  suite: string,
  variant: Written,
  source: Source,
  issues: ConfigIssue[],
): LoadedVariant | undefined {
  const defaults = config.suites[suite] as SuiteConfig
  const prompt = name(config, source, suite, variant, 'prompt', defaults.prompt, issues)
  const provider = name(config, source, suite, variant, 'provider', defaults.provider, issues)
  if (prompt === undefined || provider === undefined) return undefined
  const instance =
    variant.params === undefined || variant.name === undefined
      ? provider
      : `${provider}(${variantSuiteName(suite, variant.name)})`
  return {
    ...(variant.name === undefined ? {} : { name: variant.name }),
    prompt,
    provider,
    instance,
  }
}

/**
 * The variant's prompt or provider (its own, else the suite's), when it names an entry that
 * exists. The suite's own names are checked with the config's other references.
 */
function name(
  config: Config,
  source: Source,
  suite: string,
  variant: Written,
  key: 'prompt' | 'provider',
  fallback: string | undefined,
  issues: ConfigIssue[],
): string | undefined {
  const own = variant[key]
  const section: Section = key === 'prompt' ? 'prompts' : 'providers'
  if (own === undefined) {
    if (fallback === undefined) issues.push(missingIssue(source, suite, variant, key))
    return fallback !== undefined && fallback in config[section] ? fallback : undefined
  }
  const path = variant.at?.[key] ?? [...variant.path, key]
  const owner =
    variant.name === undefined
      ? `suite "${suite}"`
      : `variant "${variant.name}" of suite "${suite}"`
  const what = `${owner} uses ${key}`
  const issue = referenceIssue(config, source, { what, path, value: own, section })
  if (issue === undefined) return own
  issues.push(issue)
  return undefined
}

function missingIssue(
  source: Source,
  suite: string,
  variant: Written,
  key: 'prompt' | 'provider',
): ConfigIssue {
  const where = { file: source.file, ...source.locate(variant.path) }
  if (variant.name === undefined) {
    return { ...where, message: `suite "${suite}" has no ${key}`, hint: `add \`${key}:\` to it` }
  }
  if (variant.at !== undefined) {
    return {
      ...where,
      message: `suite "${suite}" has no ${key}, and its matrix no ${key} axis`,
      hint: `add \`${key}:\` to the suite (the default of its variants), or a \`${key}:\` list to the matrix`,
    }
  }
  return {
    ...where,
    message: `variant "${variant.name}" of suite "${suite}" has no ${key}, and the suite none to default to`,
    hint: `add \`${key}:\` to the variant, or to the suite as the default of its variants`,
  }
}

/**
 * The provider entry `provider` with `params` merged in, as `ci.providers` merges: request
 * parameters key by key into its `params`, its own keys replaced; validated again.
 */
function withParams(
  rawProviders: unknown,
  provider: string,
  params: Readonly<Record<string, unknown>>,
): { config: ProviderConfig } | { problem: string } {
  const raw = (rawProviders as Record<string, Record<string, unknown>>)[provider] ?? {}
  const partial: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(params)) {
    if (settingPlace(raw.type, key) === 'own') partial[key] = value
    else partial.params = { ...(partial.params as object | undefined), [key]: value }
  }
  const merged = mergeProviders({ [provider]: raw }, { [provider]: partial })[provider]
  const parsed = providerSchema.safeParse(merged)
  if (parsed.success) return { config: parsed.data }
  const first = parsed.error.issues[0]
  const at = first === undefined || first.path.length === 0 ? '' : ` (${first.path.join('.')})`
  return { problem: `${first?.message ?? 'invalid'}${at}` }
}

function paramsIssue(
  source: Source,
  suite: string,
  variant: Written,
  provider: string,
  problem: string,
): ConfigIssue {
  return {
    file: source.file,
    ...source.locate([...variant.path, 'params']),
    message: `variant "${variant.name}" of suite "${suite}": provider "${provider}" with these params is invalid: ${problem}`,
    hint: `params merge into the entry of provider "${provider}": use the settings it takes (docs/providers.md)`,
  }
}
