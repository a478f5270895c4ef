import { existsSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { SourceLocation } from '../contracts/results.js'
import { ConfigError, ShipgateError, usageError, type ConfigIssue } from '../errors.js'
import type { CompiledPrompt } from '../prompts/template.js'
import { canonicalJson, sha256 } from '../utils/hash.js'
import { displayPath } from '../utils/paths.js'
import { loadCaseFile, validateInlineCases, type LocatedCase } from './cases.js'
import { inlineSources } from './inline.js'
import { readText } from './text.js'
import { untrustedCaseIssues } from './trust.js'
import { overrideIssues, withOverrides } from './overrides.js'
import { loadPrompts } from './prompts.js'
import {
  checkExperiments,
  checkReferences,
  findLibraryOnlyProviders,
  findLiteralSecrets,
} from './rules.js'
import { checkRollout } from './rollout.js'
import {
  configSchema,
  type AssertionConfig,
  type Config,
  type ConfigInput,
  type SuiteConfig,
} from './schema.js'
import { parseConfigSource } from './json-source.js'
import type { Location, PathKey, Source } from './source.js'
import { MAX_DEPTH, tooDeep } from './depth.js'
import { checkStoreVariable } from './store.js'
import { resolveVariants, type LoadedVariant } from './variants.js'
import type { ProviderConfig } from '../providers/schemas.js'

export type { LoadedVariant } from './variants.js'

/** The file names searched for, in order, from the working directory upward. */
export const CONFIG_NAMES = ['shipgate.yaml', 'shipgate.yml', 'shipgate.json'] as const

/**
 * Where a case or assertion was written: file, line and column, or, in a config given as a
 * value, `<inline config>` and the key path (such cases carry no source into the results).
 */
export type ConfigLocation = SourceLocation | { readonly file: string; readonly path: string }

/** An assertion with the place it was written. */
export interface LocatedAssertion extends AssertionConfig {
  readonly location: ConfigLocation
  /** Directory of the file that declared it; its `file://` values resolve against it. */
  readonly baseDir: string
}

/** A `transform:` of a suite or a case, with where it was written. */
export interface LocatedTransform {
  readonly source: string
  readonly location: ConfigLocation
  /** Directory its `file://` resolves against. */
  readonly baseDir: string
}

/** A case ready for planning: suite defaults merged in. */
export interface LoadedCase {
  readonly config: LocatedCase['config']
  readonly location: ConfigLocation
  readonly assertions: readonly LocatedAssertion[]
  /** The case's own `transform:`. */
  readonly transform?: LocatedTransform | undefined
}

/** A suite with its cases loaded. */
export interface LoadedSuite {
  readonly name: string
  readonly config: SuiteConfig
  /**
   * How the suite runs: each variant's prompt and provider, or, without `variants` and
   * `matrix`, one unnamed variant of the suite's own.
   */
  readonly variants: readonly LoadedVariant[]
  readonly cases: readonly LoadedCase[]
  /** The suite-wide assertions, applied to every case. */
  readonly assertions: readonly LocatedAssertion[]
  /** The suite's `transform:`, run before every assertion of its cases. */
  readonly transform?: LocatedTransform | undefined
}

/** A validated config with everything it references loaded. */
export interface LoadedConfig {
  /** Absolute path of the config file; `null` for a config given as a value. */
  readonly file: string | null
  /**
   * Directory of the config file (the `cwd` of a config given as a value); relative paths in
   * config resolve against it.
   */
  readonly dir: string
  /**
   * sha256 of the config file's text, or of the canonical JSON of a config given as a value;
   * before interpolation either way.
   */
  readonly hash: string
  /** Values substituted for `${VAR}` (possible secrets): redacted from whatever is recorded. */
  readonly secrets: readonly string[]
  readonly config: Config
  readonly prompts: ReadonlyMap<string, CompiledPrompt>
  readonly suites: readonly LoadedSuite[]
  /** Provider configs of variants with `params`, by {@link LoadedVariant.instance}. */
  readonly variantProviders: ReadonlyMap<string, ProviderConfig>
}

/** Options of {@link loadConfig}. */
export interface LoadOptions {
  /** An explicit config path (`-c`); otherwise searched upward from `cwd`. */
  readonly file?: string
  /**
   * The config as a value instead of a file (library callers), validated by the same schema
   * and rules; not together with `file`. Relative paths in it (prompt templates, case files,
   * the store) resolve against `cwd`. Strings get `${VAR}` interpolation from `env` as in a
   * file. Problems are reported as `<inline config>` with the key path, not a line. It may
   * hold what no file can, such as a `function` provider.
   */
  readonly config?: ConfigInput
  readonly cwd: string
  readonly env: Readonly<Record<string, string | undefined>>
  /** `--provider NAME.KEY=VALUE` flags, applied over the file (and over `ci:` on CI). */
  readonly providerOverrides?: readonly string[]
  /**
   * Validate the config file only: no prompt templates compiled, no case files read (suites
   * come with no cases and `prompts` is empty). For `shipgate select`, which needs the paths.
   */
  readonly shallow?: boolean
}

/** Finds the config file: the explicit one, or the nearest `shipgate.yaml` upward from `cwd`. */
export function findConfig(options: Pick<LoadOptions, 'file' | 'cwd'>): string {
  if (options.file !== undefined) {
    const path = resolve(options.cwd, options.file)
    if (!existsSync(path)) {
      throw new ShipgateError('usage', `config file ${options.file} does not exist`, {
        hint: 'check the -c path, or run `shipgate init` to create a project',
      })
    }
    if (statSync(path).isDirectory()) {
      const inside = CONFIG_NAMES.map((n) => join(options.file as string, n))
      const found = inside.find((p) => existsSync(resolve(options.cwd, p)))
      throw new ShipgateError('usage', `config file ${options.file} is a directory`, {
        hint: `pass the config file itself: -c ${found ?? inside[0]}`,
      })
    }
    return path
  }
  for (let dir = options.cwd; ; dir = dirname(dir)) {
    const found = CONFIG_NAMES.map((n) => join(dir, n)).find((p) => existsSync(p))
    if (found !== undefined) return found
    if (dirname(dir) === dir) break
  }
  throw new ShipgateError('usage', `no shipgate.yaml in ${options.cwd} or any parent directory`, {
    hint: 'run `shipgate init` to create one, or pass -c FILE',
  })
}

/**
 * Loads, validates and normalizes the config (a file, or `options.config`) and everything it
 * references (prompt templates, case files). Every problem found is collected; if there are
 * any, throws one ConfigError listing them all with file:line:column (or key path) and a hint.
 */
export async function loadConfig(options: LoadOptions): Promise<LoadedConfig> {
  if (options.config !== undefined) return loadConfigValue(options.config, options)
  const file = findConfig(options)
  const dir = dirname(file)
  const display = displayPath(file, options.cwd)
  const read = await readText(file, display)
  if ('unreadable' in read) {
    const { message, hint, line } = read.unreadable
    throw new ConfigError([
      { file: display, ...(line === undefined ? {} : { line }), message, hint },
    ])
  }
  const { text } = read
  const raw = parseConfigSource(display, text)
  if (raw.source === undefined) throw new ConfigError(raw.issues)
  const secrets = findLiteralSecrets(raw.source)
  // Without `${VAR}` the interpolated document is the raw one: parsing it again would cost
  // as much as the first parse (a third of `select` on a 200-suite config).
  const { source, issues } = text.includes('${')
    ? parseConfigSource(display, text, { env: options.env })
    : { source: raw.source, issues: [] }
  if (source === undefined) throw new ConfigError(issues)
  const libraryOnly = findLibraryOnlyProviders(source)
  if (libraryOnly.length > 0) throw new ConfigError([...secrets, ...issues, ...libraryOnly])
  return validate({ file, dir, hash: sha256(text) }, source, [...secrets, ...issues], options)
}

/** {@link loadConfig} of a config given as a value: `cwd` stands in for the file's directory. */
function loadConfigValue(value: ConfigInput, options: LoadOptions): Promise<LoadedConfig> {
  if (options.file !== undefined) {
    throw usageError(
      `both a config file (${options.file}) and a config value were given`,
      'pass either `configFile` or `config`, not both',
    )
  }
  const { raw, source, issues } = inlineSources(value, options.env)
  const origin = { file: null, dir: resolve(options.cwd), hash: sha256(canonicalJson(value)) }
  return validate(origin, source, [...findLiteralSecrets(raw), ...issues], options)
}

/**
 * Validates a parsed config (`earlier`: the issues found while reading it) and loads what it
 * references. Throws one ConfigError with every issue found.
 */
async function validate(
  origin: Pick<LoadedConfig, 'file' | 'dir' | 'hash'>,
  source: Source,
  earlier: readonly ConfigIssue[],
  options: LoadOptions,
): Promise<LoadedConfig> {
  const { dir } = origin
  const deep = tooDeep(source.value)
  if (deep !== undefined) throw new ConfigError([...earlier, tooDeepIssue(source, deep)])
  const origins = new Map<string, string>()
  const input = withOverrides(source.value ?? {}, options, origins)
  const parsed = configSchema.safeParse(input)
  if (!parsed.success) {
    throw new ConfigError([
      ...earlier,
      ...overrideIssues(parsed.error.issues, source, input, origins),
    ])
  }
  const config = parsed.data
  const all: ConfigIssue[] = [
    ...earlier,
    ...checkReferences(config, source),
    ...checkRollout(config, source),
    ...checkExperiments(config, source),
    ...checkStoreVariable(config.store, source, options.env),
  ]
  const variants = resolveVariants(config, (input as { providers?: unknown }).providers, source)
  all.push(...variants.issues)
  const prompts =
    options.shallow === true
      ? { prompts: new Map<string, CompiledPrompt>(), issues: [] }
      : await loadPrompts(config.prompts, {
          baseDir: dir,
          configFile: source.file,
          position: (name) => source.locate(['prompts', name]),
        })
  all.push(...prompts.issues)
  const suites: LoadedSuite[] = []
  for (const [name, suite] of Object.entries(config.suites)) {
    const paths = { dir, cwd: options.cwd, shallow: options.shallow === true }
    const loaded = await loadSuite(name, suite, source, paths)
    all.push(...loaded.issues)
    suites.push({ ...loaded.suite, variants: variants.suites.get(name) ?? [] })
  }
  if (all.length > 0) throw new ConfigError(all)
  return {
    ...origin,
    secrets: source.interpolated,
    config,
    prompts: prompts.prompts,
    suites,
    variantProviders: variants.providers,
  }
}

async function loadSuite(
  name: string,
  suite: SuiteConfig,
  source: Source,
  paths: { dir: string; cwd: string; shallow: boolean },
): Promise<{ suite: Omit<LoadedSuite, 'variants'>; issues: ConfigIssue[] }> {
  const casesPath = typeof suite.cases === 'string' ? resolve(paths.dir, suite.cases) : undefined
  const reference = { file: source.file, ...source.locate(['suites', name, 'cases']) }
  const { cases, issues } = paths.shallow
    ? { cases: [], issues: [] }
    : casesPath !== undefined
      ? await loadCaseFile(casesPath, displayPath(casesPath, paths.cwd), reference)
      : validateInlineCases(source, ['suites', name, 'cases'])
  const casesDir = casesPath === undefined ? paths.dir : dirname(casesPath)
  if (casesPath !== undefined && !suite.trustCases) {
    issues.push(...untrustedCaseIssues(cases, { suite: name, root: paths.dir, casesDir }))
  }
  const assertions = suite.assert.map((a, i) =>
    locateAssertion(a, source.file, source.locate(['suites', name, 'assert', i]), paths.dir),
  )
  const loaded = cases.map((c) => {
    const location = locationOf(c.file, c.position)
    const { transform } = c.config
    return {
      config: c.config,
      location,
      assertions: c.config.assert.map((a, i) =>
        locateAssertion(a, c.file, c.assertionPosition(i), casesDir),
      ),
      transform:
        transform === undefined ? undefined : { source: transform, location, baseDir: casesDir },
    }
  })
  if (loaded.length === 0 && issues.length === 0 && !paths.shallow) {
    issues.push({
      ...reference,
      message: `suite "${name}" has no cases`,
      hint: 'add at least one case, inline or in the cases file',
    })
  }
  const transform =
    suite.transform === undefined
      ? undefined
      : {
          source: suite.transform,
          location: locationOf(source.file, source.locate(['suites', name, 'transform'])),
          baseDir: paths.dir,
        }
  return { suite: { name, config: suite, cases: loaded, assertions, transform }, issues }
}

function tooDeepIssue(source: Source, path: PathKey[]): ConfigIssue {
  return {
    file: source.file,
    ...source.locate(path),
    message: `value nested more than ${MAX_DEPTH} levels deep`,
    hint: 'flatten the data',
  }
}

function locateAssertion(
  assertion: AssertionConfig,
  file: string,
  position: Location,
  baseDir: string,
): LocatedAssertion {
  // Not `{ ...assertion, location, baseDir }`: on Node 20 a literal that starts with a spread
  // gets a hidden class of its own, and four per case were ~10 MB at 10,000 cases.
  // (`assertion` is the schema's output: no `__proto__` key for Object.assign to set.)
  return Object.assign({}, assertion, { location: locationOf(file, position), baseDir })
}

function locationOf(file: string, at: Location): ConfigLocation {
  return 'path' in at ? { file, path: at.path } : { file, line: at.line, column: at.column }
}
