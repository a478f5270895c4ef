import type { EvalOptions } from '../../workflows/eval/index.js'
import { baselineBeforeRun } from '../../workflows/results/index.js'
import { selectChanged, type Selection } from '../../workflows/select/index.js'
import { EXIT, type CommandIO } from '../io.js'
import type { SelectFlags } from '../program.js'

/** `shipgate select --since REF`: the suites the changes affect, and why. */
export async function runSelect(flags: SelectFlags, io: CommandIO): Promise<number> {
  const selection = await selectChanged({
    cwd: io.cwd,
    env: io.env,
    since: flags.since,
    ...(flags.config === undefined ? {} : { configFile: flags.config }),
  })
  io.stdout(
    flags.json === true ? `${JSON.stringify(selection, null, 2)}\n` : renderSelection(selection),
  )
  return EXIT.ok
}

/** The selection for people: each selected suite with the files that selected it. */
export function renderSelection(s: Selection): string {
  const out = [
    `${s.changed.length} file${s.changed.length === 1 ? '' : 's'} changed since ${s.since} (merge base ${s.base.slice(0, 12)})`,
  ]
  if (s.suites.length === 0) out.push('no suite is affected')
  for (const suite of s.suites) {
    out.push(`selected ${suite.suite}`)
    for (const r of suite.reasons.slice(0, 10)) out.push(`  ${r.file}: ${r.why}`)
    if (suite.reasons.length > 10) out.push(`  … and ${suite.reasons.length - 10} more`)
  }
  if (s.skipped.length > 0) out.push(`not affected: ${s.skipped.join(', ')}`)
  return `${out.join('\n')}\n`
}

/** Reasons that code fingerprints cannot see changed: nothing of such a suite is reused. */
const UNSEEN = /^(imported by the entry|entry of provider|config )/

/** What `eval --since` / `ci --since` run, and where `--reuse-baseline` may copy results. */
export interface SinceChoice {
  readonly suites: string[]
  readonly reusable: string[]
}

/**
 * The suites `eval --since` / `ci --since` run: the selection, within `--suite` when given.
 * Writes the reasons to stderr; `undefined` means no flag, run as asked.
 */
export async function suitesSince(
  since: string | undefined,
  requested: readonly string[],
  io: CommandIO,
  configFile: string | undefined,
): Promise<SinceChoice | undefined> {
  if (since === undefined) return undefined
  const selection = await selectChanged({
    cwd: io.cwd,
    env: io.env,
    since,
    ...(configFile === undefined ? {} : { configFile }),
  })
  io.stderr(renderSelection(selection))
  const chosen = selection.suites.filter(
    (s) => requested.length === 0 || requested.includes(s.suite),
  )
  return {
    suites: chosen.map((s) => s.suite),
    reusable: chosen.filter((s) => !s.reasons.some((r) => UNSEEN.test(r.why))).map((s) => s.suite),
  }
}

/**
 * The `reuse` option of evaluate for `--reuse-baseline`: the baseline run's results, in the
 * suites whose changes fingerprints can see. Says on stderr when there is no baseline.
 */
export async function reuseOption(
  flags: { reuseBaseline?: boolean; baseline?: string; config?: string; suite?: string[] },
  since: SinceChoice | undefined,
  io: CommandIO,
  suites: readonly string[],
): Promise<EvalOptions['reuse'] | undefined> {
  if (flags.reuseBaseline !== true) return undefined
  const found = await baselineBeforeRun({
    cwd: io.cwd,
    env: io.env,
    ...(flags.config === undefined ? {} : { configFile: flags.config }),
    ...(flags.baseline === undefined ? {} : { baseline: flags.baseline }),
    suites,
  })
  if (found.found === undefined) {
    io.stderr(`--reuse-baseline: nothing reused (${found.why})\n`)
    return undefined
  }
  const results = found.found.results
  return { baseline: results, ...(since === undefined ? {} : { suites: since.reusable }) }
}
