/** Which suites an eval runs: `--suite`, narrowed by `--since`, and what it may reuse. */
import type { LoadedConfig } from '../../config/load.js'
import { baselineBeforeRun } from '../results/index.js'
import type { Selection } from '../../contracts/select.js'
import { selectChanged } from '../select/index.js'
import type { EvalOptions } from './options.js'

/** The suites to run and the baseline results to reuse, or why nothing runs. */
export type RunChoice =
  | {
      readonly suites: readonly string[]
      readonly reuse?: EvalOptions['reuse']
      readonly selection?: Selection
    }
  | { readonly skipped: string; readonly selection: Selection }

/** Reasons that case fingerprints cannot see: nothing of such a suite is reused. */
const UNSEEN = /^(imported by the entry|entry of provider|config )/

/** Applies `since` and `reuseBaseline` to the suites asked for. */
export async function chooseSuites(loaded: LoadedConfig, options: EvalOptions): Promise<RunChoice> {
  const requested = options.suites ?? []
  if (options.since === undefined) {
    return { suites: requested, reuse: await reuseOf(options, requested, undefined) }
  }
  const selection = await selectChanged({ ...options, since: options.since, loaded })
  options.onSelection?.(selection)
  const chosen = selection.suites.filter(
    (s) => requested.length === 0 || requested.includes(s.suite),
  )
  if (chosen.length === 0) {
    return { skipped: `no suite is affected by the changes since ${options.since}`, selection }
  }
  const suites = chosen.map((s) => s.suite)
  const reusable = chosen
    .filter((s) => !s.reasons.some((r) => UNSEEN.test(r.why)))
    .map((s) => s.suite)
  return { suites, reuse: await reuseOf(options, suites, reusable), selection }
}

/** The `reuse` of the run: given by the caller, or looked up for `reuseBaseline`. */
async function reuseOf(
  options: EvalOptions,
  suites: readonly string[],
  reusable: readonly string[] | undefined,
): Promise<EvalOptions['reuse']> {
  if (options.reuse !== undefined || options.reuseBaseline !== true) return options.reuse
  const found = await baselineBeforeRun({ ...options, suites })
  if (found.found === undefined) {
    options.logger.warn(`--reuse-baseline: nothing reused (${found.why})`)
    return undefined
  }
  return { baseline: found.found.results, ...(reusable === undefined ? {} : { suites: reusable }) }
}
