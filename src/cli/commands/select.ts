import { selectChanged, type Selection } from '../../app/select.js'
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

/**
 * The suites `eval --since` / `ci --since` run: the selection, within `--suite` when given.
 * Writes the reasons to stderr; `undefined` means no flag, run as asked.
 */
export async function suitesSince(
  since: string | undefined,
  requested: readonly string[],
  io: CommandIO,
  configFile: string | undefined,
): Promise<string[] | undefined> {
  if (since === undefined) return undefined
  const selection = await selectChanged({
    cwd: io.cwd,
    env: io.env,
    since,
    ...(configFile === undefined ? {} : { configFile }),
  })
  io.stderr(renderSelection(selection))
  const chosen = selection.suites.map((s) => s.suite)
  return requested.length === 0 ? chosen : chosen.filter((s) => requested.includes(s))
}
