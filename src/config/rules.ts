import type { ConfigIssue } from '../errors.js'
import { LIBRARY_ONLY_PROVIDERS } from '../providers/schemas.js'
import { findSecret } from '../utils/secrets.js'
import type { Config, JudgeConfig } from './schema.js'
import type { PathKey, Source } from './source.js'
import { closest } from './suggest.js'

/**
 * Flags string values of the raw config (before `${VAR}` interpolation) that look like
 * credentials: secrets belong in the environment, referenced by name.
 */
export function findLiteralSecrets(source: Source): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  walk(source.value, [], (value, path) => {
    const shape = findSecret(value)
    if (shape === undefined) return
    issues.push({
      file: source.file,
      ...source.locate(path),
      message: `${path.join('.')} looks like ${shape} written into config`,
      hint: 'never put secrets in shipgate.yaml: name the environment variable instead (apiKeyEnv: MY_KEY, or ${MY_KEY})',
    })
  })
  return issues
}

function walk(
  value: unknown,
  path: PathKey[],
  visit: (value: string, path: PathKey[]) => void,
): void {
  if (typeof value === 'string') visit(value, path)
  else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i], visit))
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walk(v, [...path, k], visit)
  }
}

/**
 * Flags providers of a config file whose type only the library API can use (`function`: its
 * `call` is a JavaScript function, which no file can hold).
 */
export function findLibraryOnlyProviders(source: Source): ConfigIssue[] {
  const providers = (source.value as { providers?: unknown } | null)?.providers
  if (providers === null || typeof providers !== 'object') return []
  return Object.entries(providers as Record<string, unknown>).flatMap(([name, entry]) => {
    const type = (entry as { type?: unknown } | null)?.type
    if (typeof type !== 'string' || !LIBRARY_ONLY_PROVIDERS.has(type)) return []
    return [
      {
        file: source.file,
        ...source.locate(['providers', name, 'type']),
        message: `provider "${name}" has type ${type}, which only a config passed from code can use: its \`call\` is a JavaScript function`,
        hint: 'pass the config as `config: {...}` to evaluate() from JavaScript, or call your code from this file with type exec or http',
      },
    ]
  })
}

/**
 * The issue of `value` (at `path`, named in `what`) when it names no entry of `section`; with the
 * closest name as a hint.
 */
export function referenceIssue(
  config: Config,
  source: Source,
  reference: { what: string; path: readonly PathKey[]; value: string; section: Section },
): ConfigIssue | undefined {
  const { what, path, value, section } = reference
  const known = Object.keys(config[section])
  if (known.includes(value)) return undefined
  const guess = closest(value, known)
  return {
    file: source.file,
    ...source.locate(path),
    message: `${what} "${value}", which is not defined under ${section}`,
    hint:
      guess !== undefined
        ? `did you mean "${guess}"?`
        : known.length > 0
          ? `defined ${section}: ${known.join(', ')}`
          : `add it under ${section}:`,
  }
}

/** Cross-field rules: suites and judges name prompts and providers that exist. */
export function checkReferences(config: Config, source: Source): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  const check = (what: string, path: PathKey[], value: string | undefined, section: Section) => {
    if (value === undefined) return
    const issue = referenceIssue(config, source, { what, path, value, section })
    if (issue !== undefined) issues.push(issue)
  }
  const checkJudge = (judge: JudgeConfig | undefined, path: PathKey[], owner: string): void => {
    if (judge === undefined) return
    if (typeof judge === 'string') {
      check(`${owner} uses judge`, path, judge, 'providers')
      return
    }
    check(`${owner} uses judge provider`, [...path, 'provider'], judge.provider, 'providers')
    if (judge.embeddings !== undefined) {
      const at = [...path, 'embeddings']
      check(`${owner} uses embeddings provider`, at, judge.embeddings, 'providers')
    }
    for (const [type, prompt] of Object.entries(judge.prompts)) {
      check(`${owner} uses judge prompt`, [...path, 'prompts', type], prompt, 'prompts')
    }
  }
  checkJudge(config.judge, ['judge'], 'the config')
  for (const [name, suite] of Object.entries(config.suites)) {
    const owner = `suite "${name}"`
    check(`${owner} uses prompt`, ['suites', name, 'prompt'], suite.prompt, 'prompts')
    check(`${owner} uses provider`, ['suites', name, 'provider'], suite.provider, 'providers')
    checkJudge(suite.judge, ['suites', name, 'judge'], owner)
  }
  return issues
}

/** The config sections a suite's names refer to. */
export type Section = 'prompts' | 'providers'

/**
 * Cross-field rules of `experiments:`: the control is an arm of the allocation, which has at
 * least two; the primary metric and every guardrail name an entry under the experiment's
 * `metrics`; `minDays` is within `plannedDays`. (`judge.metric` may be absent from `metrics`:
 * the grades are then recorded and not analyzed.)
 */
export function checkExperiments(config: Config, source: Source): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  const at = (path: PathKey[], message: string, hint: string): void => {
    issues.push({ file: source.file, ...source.locate(path), message, hint })
  }
  for (const [name, e] of Object.entries(config.experiments)) {
    const path: PathKey[] = ['experiments', name]
    const arms = Object.keys(e.allocation)
    const owner = `experiment "${name}"`
    if (!arms.includes(e.control)) {
      const guess = closest(e.control, arms)
      at(
        [...path, 'control'],
        `${owner} has control "${e.control}", which is not an arm of its allocation`,
        guess !== undefined
          ? `did you mean "${guess}"?`
          : `add it to allocation: (arms: ${arms.join(', ')})`,
      )
    }
    if (arms.length < 2)
      at(
        [...path, 'allocation'],
        `${owner} has ${arms.length} arm in its allocation; an experiment compares at least two`,
        'name the control and at least one treatment with their shares, e.g. { A: 50, B: 50 }',
      )
    const metric = (where: PathKey[], what: string, value: string): void => {
      const known = Object.keys(e.metrics)
      if (known.includes(value)) return
      const guess = closest(value, known)
      at(
        where,
        `${owner}'s ${what} "${value}" is not under its metrics:`,
        guess !== undefined
          ? `did you mean "${guess}"?`
          : known.length > 0
            ? `defined metrics: ${known.join(', ')}`
            : 'define it under metrics: with its event and kind',
      )
    }
    metric([...path, 'primary', 'metric'], 'primary metric', e.primary.metric)
    e.guardrails.forEach((g, i) =>
      metric([...path, 'guardrails', i, 'metric'], 'guardrail metric', g.metric),
    )
    if (e.minDays > e.plannedDays)
      at(
        [...path, 'plannedDays'],
        `${owner} plans ${e.plannedDays} days but needs at least minDays ${e.minDays} before a winner`,
        'raise plannedDays or lower minDays (default 7)',
      )
  }
  return issues
}
