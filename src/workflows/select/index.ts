import type { Selection } from '../../contracts/select.js'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path'
import { parse as parseYaml } from 'yaml'
import type { LoadedConfig, LocatedAssertion } from '../../config/load.js'
import type { JudgeConfig } from '../../config/schema.js'
import type { Dependency } from '../../contracts/select.js'
import { selectSuites, type SuiteDependencies } from '../../core/select/select.js'
import { usageError } from '../../errors.js'
import { changedSince, fileAt, mergeBase, repoRoot } from '../../integrations/git/index.js'
import { canonicalJson } from '../../utils/hash.js'
import { loadProjectConfig, type ConfigChoice } from '../project/index.js'

/** Options of {@link selectChanged}. */
export interface SelectOptions extends ConfigChoice {
  /** The reference compared with: the merge base of HEAD and it. */
  readonly since: string
  /** An already loaded config (eval --since). */
  readonly loaded?: LoadedConfig
}

/**
 * `shipgate select`: the files changed since the merge base with `since` (work in progress
 * included), mapped to the suites they affect through each suite's config entries, prompt,
 * case and assertion files, `depends_on` globs and its provider's import graph.
 */
export async function selectChanged(options: SelectOptions): Promise<Selection> {
  const loaded = options.loaded ?? (await loadProjectConfig(options, { shallow: true }))
  const root = await repoRoot(loaded.dir)
  if (root === null) {
    throw usageError(`${loaded.dir} is not in a git repository`, 'run inside a git repository')
  }
  const base = await mergeBase(root, options.since).catch(() => {
    throw usageError(
      `cannot find the merge base of HEAD and "${options.since}"`,
      'fetch the branch first (e.g. `git fetch origin main`, and `fetch-depth: 0` on actions/checkout)',
    )
  })
  const changed = await changedSince(root, base)
  const entries = await configEntries(loaded, { root, base, changed })
  const suites = await Promise.all(
    loaded.suites.map((s) => dependencies(loaded, s.name, root, entries.byName)),
  )
  const selected = selectSuites({
    changed,
    suites,
    always: loaded.config.select.always,
    globalChange: entries.global === null ? null : { file: entries.file, what: entries.global },
  })
  const chosen = new Set(selected.map((s) => s.suite))
  return {
    since: options.since,
    base,
    changed,
    suites: selected,
    skipped: loaded.suites.map((s) => s.name).filter((s) => !chosen.has(s)),
  }
}

/**
 * The config's entries changed since the base, and its repo-relative path. An unchanged file
 * has none (and is not parsed twice more); nor has a config given as a value, which has no
 * history to compare.
 */
async function configEntries(
  loaded: LoadedConfig,
  git: { root: string; base: string; changed: readonly string[] },
): Promise<{ file: string; global: string | null; byName: Set<string> }> {
  const none = { global: null, byName: new Set<string>() }
  if (loaded.file === null) return { file: '', ...none }
  const file = toRepo(git.root, loaded.file)
  if (!git.changed.includes(file)) return { file, ...none }
  const before = yamlOrNull(await fileAt(git.root, git.base, file))
  return { file, ...changedEntries(before, parseYaml(await readFile(loaded.file, 'utf8'))) }
}

/** A config file's YAML as it was; `null` when it did not exist (or does not parse). */
function yamlOrNull(text: string | null): Record<string, unknown> | null {
  if (text === null) return null
  try {
    return (parseYaml(text) ?? {}) as Record<string, unknown>
  } catch {
    return null
  }
}

/**
 * What each suite of `loaded` depends on (files relative to `root`), given the config entries
 * that changed (`suites.x`, `prompts.y`, ...): what `eval --watch` maps saved files with.
 */
export function suiteDependencies(
  loaded: LoadedConfig,
  root: string,
  changed: Set<string> = new Set(),
): Promise<SuiteDependencies[]> {
  return Promise.all(loaded.suites.map((s) => dependencies(loaded, s.name, root, changed)))
}

/** Sections that change how every suite runs. */
const GLOBAL = ['version', 'runner', 'judge', 'cassettes', 'ci', 'pricing', 'store']

/** Config entries that changed since the base: global ones, and `section.name` entries. */
export function changedEntries(
  before: Record<string, unknown> | null,
  current: unknown,
): { global: string | null; byName: Set<string> } {
  const byName = new Set<string>()
  if (before === null) return { global: 'the config is new since the base', byName }
  const now = (current ?? {}) as Record<string, unknown>
  const differs = (a: unknown, b: unknown) => canonicalJson(a ?? null) !== canonicalJson(b ?? null)
  const global = GLOBAL.filter((key) => differs(before[key], now[key]))
  if (global.length > 0) return { global: `config ${global.join(', ')} changed`, byName }
  for (const section of ['suites', 'prompts', 'providers']) {
    const a = (before[section] ?? {}) as Record<string, unknown>
    const b = (now[section] ?? {}) as Record<string, unknown>
    for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (differs(a[name], b[name])) byName.add(`${section}.${name}`)
    }
  }
  return { global: null, byName }
}

/** What suite `name` depends on. */
async function dependencies(
  loaded: LoadedConfig,
  name: string,
  root: string,
  changed: Set<string>,
): Promise<SuiteDependencies> {
  const suite = loaded.suites.find((s) => s.name === name)
  if (suite === undefined) throw new Error(`no suite ${name}`)
  const { config } = loaded
  const files: Dependency[] = []
  const add = (path: string, why: string) => files.push({ path: toRepo(root, path), why })
  const judges = judgeNames(suite.config.judge ?? config.judge)
  const assertions = [...suite.assertions, ...suite.cases.flatMap((c) => c.assertions)]
  // Every variant's prompt and provider: a change to any of them selects the suite.
  const providers = new Set([
    ...suite.variants.map((v) => v.provider),
    ...judges.providers,
    ...assertions.flatMap((a) => (a.provider === undefined ? [] : [a.provider])),
  ])
  const prompts = new Set([
    ...suite.variants.map((v) => v.prompt),
    ...judges.prompts,
    ...assertions.flatMap((a) => (a.prompt === undefined ? [] : [a.prompt])),
  ])
  for (const prompt of prompts) {
    for (const file of promptFiles(config.prompts[prompt]))
      add(resolve(loaded.dir, file), `prompt file of "${prompt}"`)
  }
  if (typeof suite.config.cases === 'string') {
    const casesFile = resolve(loaded.dir, suite.config.cases)
    add(casesFile, 'case file')
    for (const file of await fileRefsIn(casesFile)) add(file, 'assertion file')
  }
  for (const file of assertionFiles(assertions)) add(file, 'assertion file')
  for (const provider of providers) {
    const entry = providerEntry(config.providers[provider], loaded.dir)
    if (entry === undefined) continue
    add(entry, `entry of provider "${provider}"`)
    for (const dep of await importGraph(entry, root))
      add(dep, `imported by the entry of provider "${provider}"`)
  }
  const entries = [
    `suites.${name}`,
    ...[...prompts].map((p) => `prompts.${p}`),
    ...[...providers].map((p) => `providers.${p}`),
  ].filter((e) => changed.has(e))
  const globs = (suite.config.depends_on ?? []).map((g) => toRepo(root, resolve(loaded.dir, g)))
  return { suite: name, files, globs, changedEntries: entries }
}

function judgeNames(judge: JudgeConfig | undefined): { providers: string[]; prompts: string[] } {
  if (judge === undefined) return { providers: [], prompts: [] }
  if (typeof judge === 'string') return { providers: [judge], prompts: [] }
  return {
    providers: [judge.provider, ...(judge.embeddings === undefined ? [] : [judge.embeddings])],
    prompts: Object.values(judge.prompts),
  }
}

function promptFiles(prompt: LoadedConfig['config']['prompts'][string] | undefined): string[] {
  if (prompt === undefined) return []
  if (typeof prompt === 'string') return [prompt]
  const templates =
    'messages' in prompt ? prompt.messages.map((m) => m.content) : [prompt.system, prompt.user]
  return templates.flatMap((t) => (t !== undefined && typeof t === 'object' ? [t.file] : []))
}

/** Files named by `file://` values of assertions (a JavaScript file's `:function` dropped). */
function assertionFiles(assertions: readonly LocatedAssertion[]): string[] {
  const files: string[] = []
  const visit = (value: unknown, baseDir: string): void => {
    if (typeof value === 'string' && value.startsWith('file://')) {
      const path = value.slice('file://'.length).replace(/:[A-Za-z_$][\w$]*$/, '')
      files.push(isAbsolute(path) ? path : resolve(baseDir, path))
    } else if (Array.isArray(value)) for (const v of value) visit(v, baseDir)
    else if (value !== null && typeof value === 'object')
      for (const v of Object.values(value)) visit(v, baseDir)
  }
  for (const a of assertions) visit(a.value, a.baseDir)
  return files
}

/** `file://` references in a case file's text (its cases' assertion files), unparsed. */
async function fileRefsIn(path: string): Promise<string[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    return []
  }
  const refs = text.matchAll(/file:\/\/([^\s'",}\]]+)/g)
  return [...refs].map((m) => {
    const ref = (m[1] as string).replace(/:[A-Za-z_$][\w$]*$/, '')
    return isAbsolute(ref) ? ref : resolve(dirname(path), ref)
  })
}

const SCRIPT = /\.(?:[cm]?js|[cm]?ts|jsx|tsx)$/

/** The JS/TS entry point of an exec or http provider: `entry`, or a script in its command. */
function providerEntry(
  provider: LoadedConfig['config']['providers'][string] | undefined,
  dir: string,
): string | undefined {
  if (provider === undefined || (provider.type !== 'exec' && provider.type !== 'http'))
    return undefined
  if (provider.entry !== undefined) return resolve(dir, provider.entry)
  if (provider.type !== 'exec') return undefined
  const words =
    typeof provider.command === 'string' ? provider.command.split(/\s+/) : provider.command
  const script = words.find((w) => SCRIPT.test(w))
  return script === undefined ? undefined : resolve(dir, provider.cwd ?? '.', script)
}

/** Every local file the entry imports, transitively (dependency-tree), node_modules left out. */
async function importGraph(entry: string, root: string): Promise<string[]> {
  if (!existsSync(entry)) return []
  const { default: dependencyTree } = await import('dependency-tree')
  const tsConfig = [dirname(entry), root].map((d) => resolve(d, 'tsconfig.json')).find(existsSync)
  const list = dependencyTree.toList({
    filename: entry,
    directory: root,
    filter: (path) => !path.includes(`${sep}node_modules${sep}`),
    noTypeDefinitions: true,
    ...(tsConfig === undefined ? {} : { tsConfig }),
  })
  return list.filter((p) => p !== entry)
}

/** A path relative to the repository root, `/`-separated. */
function toRepo(root: string, path: string): string {
  return relative(root, path).split(sep).join('/')
}
