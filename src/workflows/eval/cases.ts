/**
 * The quick loop's narrowing of a run to some cases (`--case`, `--filter`, `--first`,
 * `--sample`, `--rerun-failed`): the options checked, the candidates listed from the config,
 * and what the run records of it.
 */
import type { LoadedConfig } from '../../config/load.js'
import { closest } from '../../config/suggest.js'
import type { RunSelection } from '../../contracts/results.js'
import { CaseIds, mergeTags } from '../../core/eval/plan.js'
import {
  selectCases,
  type CandidateCase,
  type CaseSelection,
} from '../../core/eval/select-cases.js'
import { usageError } from '../../errors.js'
import type { EvalOptions } from './options.js'
import { failedCases } from './rerun.js'

/** The cases a narrowed run keeps and what it records, or why it runs nothing. */
export type Narrowed =
  | { readonly keep: ReadonlySet<string>; readonly record: RunSelection }
  | { readonly nothing: string }

/**
 * The narrowing the options ask for over the cases of `suites` (all when empty) that carry
 * `tags`; `undefined` when they ask for none.
 */
export async function narrowCases(
  loaded: LoadedConfig,
  suites: readonly string[],
  options: EvalOptions,
): Promise<Narrowed | undefined> {
  const { cases, filter, first, sample, seed, rerunFailed } = options
  if (seed !== undefined && sample === undefined) {
    throw usageError('--seed is the number --sample draws from', 'add --sample N, or drop --seed')
  }
  const asked = [cases?.length ? cases : undefined, filter, first, sample, rerunFailed]
  if (asked.every((x) => x === undefined)) return undefined
  const failed =
    rerunFailed === undefined ? undefined : await failedCases(loaded, { ...options, rerunFailed })
  const only = failed === undefined ? undefined : inScope(failed.only, loaded, suites)
  if (failed !== undefined && only?.size === 0) {
    return {
      nothing: `run ${failed.run} had no failed or errored case${suites.length > 0 ? ' in these suites' : ''}`,
    }
  }
  const drawn =
    sample === undefined ? undefined : { size: sample, seed: seed ?? randomNumber(options) }
  const filterRegex = filter === undefined ? undefined : regexOf(filter)
  const selection: CaseSelection = { cases, filter: filterRegex, first, sample: drawn, only }
  const candidates = candidatesOf(loaded, suites, options.tags ?? [])
  const chosen = selectCases(candidates, selection)
  if (chosen.unknown.length > 0) throw unknownCases(chosen.unknown, candidates)
  for (const gone of chosen.gone) {
    options.logger.warn(`--rerun-failed: case ${gone} of run ${failed?.run ?? ''} no longer exists`)
  }
  if (chosen.keep.size === 0) {
    if (failed !== undefined)
      return { nothing: `no failed case of run ${failed.run} exists any more` }
    throw usageError(
      'no case matches the selection',
      'check --case, --filter and --tag against your cases',
    )
  }
  const record: RunSelection = {
    cases: cases?.length ? cases : undefined,
    filter,
    sample: drawn?.size,
    seed: drawn?.seed,
    first,
    rerunOf: failed?.run,
    kept: chosen.keep.size,
    of: candidates.length,
  }
  return { keep: chosen.keep, record }
}

/** Every case of `suites` (all when empty) in config and file order, with its tags. */
function candidatesOf(
  loaded: LoadedConfig,
  suites: readonly string[],
  tags: readonly string[],
): CandidateCase[] {
  const candidates: CandidateCase[] = []
  for (const suite of loaded.suites) {
    if (suites.length > 0 && !suites.includes(suite.name)) continue
    const ids = new CaseIds(suite.name)
    for (const kase of suite.cases) {
      const { id } = ids.next(kase.config.id, kase.config.vars)
      const caseTags = mergeTags(suite.config.tags, kase.config.tags)
      if (tags.length > 0 && !caseTags.some((t) => tags.includes(t))) continue
      candidates.push({ suite: suite.name, id, description: kase.config.description })
    }
  }
  return candidates
}

/**
 * The failed cases of the suites this run may run: those of suites left out by `--suite` are
 * not reported as gone; those of suites no longer in the config are.
 */
function inScope(
  only: ReadonlyMap<string, ReadonlySet<string>>,
  loaded: LoadedConfig,
  suites: readonly string[],
): Map<string, ReadonlySet<string>> {
  const inConfig = new Set(loaded.suites.map((s) => s.name))
  return new Map(
    [...only].filter(
      ([suite]) => suites.length === 0 || suites.includes(suite) || !inConfig.has(suite),
    ),
  )
}

/** `--filter` as a case-insensitive regular expression. */
function regexOf(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'i')
  } catch (error) {
    throw usageError(
      `--filter "${pattern}" is not a regular expression: ${(error as Error).message}`,
      'escape special characters with \\ (e.g. "refund\\?"), or match a plain word',
    )
  }
}

function unknownCases(unknown: readonly string[], candidates: readonly CandidateCase[]): Error {
  const names = candidates.flatMap((c) => [c.id, `${c.suite}/${c.id}`])
  const lines = unknown.map((u) => {
    const near = closest(u, names)
    return `"${u}"${near === undefined ? '' : ` (did you mean "${near}"?)`}`
  })
  return usageError(
    `--case: no selected case has the id ${lines.join(', ')}`,
    'list case ids with `shipgate eval --json` or in your case files; write suite/id for a case of one suite',
  )
}

/** A number for a sample drawn without `--seed`, printed so that the draw can be repeated. */
function randomNumber(options: EvalOptions): number {
  const n = Math.floor((options.random ?? Math.random)() * 2 ** 31)
  options.logger.info(`--sample: drawn with --seed ${n} (pass it to draw the same cases again)`)
  return n
}

/** The line the terminal shows of a narrowed run: what it kept, and that it is partial. */
export function describeSelection(record: RunSelection): string {
  const how = [
    record.cases === undefined ? '' : `--case ${record.cases.join(' --case ')}`,
    record.filter === undefined ? '' : `--filter ${JSON.stringify(record.filter)}`,
    record.rerunOf === undefined ? '' : `--rerun-failed ${record.rerunOf}`,
    record.sample === undefined ? '' : `--sample ${record.sample} --seed ${record.seed ?? ''}`,
    record.first === undefined ? '' : `--first ${record.first}`,
  ].filter((h) => h !== '')
  const n = record.of.toLocaleString('en-US')
  return `partial run: ${record.kept.toLocaleString('en-US')} of ${n} cases (${how.join(' ')}); its results say so, compare full runs`
}
