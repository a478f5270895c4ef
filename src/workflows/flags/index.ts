/**
 * `shipgate flags`: the flags of a flagd flag file from the command line. Reads go through the
 * runtime SDK's compiler (errors with file:line); writes are planned as pure edits (`set.ts`,
 * `ramp.ts`: a ramp only moves users forward), compiled, written atomically (temp + rename, so
 * a watching FileFlagProvider sees the old file or the new), then recorded in the history next
 * to the file (`history.ts`). Which file: `path.ts`.
 */
import type { FlagDefinition, FlagFile } from '@shipgate/runtime/flags'
import type {
  FlagAction,
  FlagChange,
  FlagDetail,
  FlagList,
  FlagValidation,
  FlagWrite,
} from '../../contracts/flags.js'
import { ConfigError, ShipgateError } from '../../errors.js'
import { withFlag, writeFlagFile } from '../../utils/flag-file.js'
import { loadFlagFile } from './file.js'
import { dirname } from 'node:path'
import { currentActor, historyPath, readHistory, recordChange } from './history.js'
import { flagFilePath, type FlagFileChoice } from './path.js'
import { planRamp, type RampRequest } from './ramp.js'
import { planSet, type SetRequest } from './set.js'
import { summarize } from './summary.js'

export { DEFAULT_FLAG_FILE, flagFilePath, type FlagFileChoice } from './path.js'
export { currentActor, historyPath } from './history.js'
export { loadFlagFile } from './file.js'
export { rolloutOf } from './summary.js'
export { planRamp, type RampEdit, type RampRequest } from './ramp.js'
export { planSet, type SetEdit, type SetRequest } from './set.js'

/** Every flag of the file, in the file's order. */
export async function listFlags(choice: FlagFileChoice): Promise<FlagList> {
  const file = await flagFilePath(choice)
  const flags = await loadFlagFile(file)
  return { file, flags: Object.keys(flags.flags).map((key) => summarize(flags, key)) }
}

/** One flag in full; a usage error when the file does not have it. */
export async function getFlag(choice: FlagFileChoice, key: string): Promise<FlagDetail> {
  const file = await flagFilePath(choice)
  const flags = await loadFlagFile(file)
  const summary = summarize(flags, key)
  return { ...summary, file, definition: flags.flags[key] as FlagDefinition }
}

/** Checks the file; throws the compiler's ConfigError (file:line per problem) when invalid. */
export async function validateFlags(choice: FlagFileChoice): Promise<FlagValidation> {
  const file = await flagFilePath(choice)
  const flags = await loadFlagFile(file)
  return { file, flags: Object.keys(flags.flags).length }
}

/** Options of a change: who and why, for the history. */
export interface ChangeOptions extends FlagFileChoice {
  readonly reason?: string
  /** Who makes it; default git's `user.name`, else `$USER`. */
  readonly who?: string
  readonly now?: () => Date
}

/** `flags set`: variants and the default; compiled, written atomically, recorded. */
export async function setFlag(
  options: ChangeOptions,
  key: string,
  request: SetRequest,
): Promise<FlagWrite> {
  return change(options, key, (flags) => {
    const edit = planSet(flags, key, request)
    return edit === null ? null : { ...edit, action: 'set' }
  })
}

/** `flags ramp`: a rollout's share moved forward (or back with `rollback`), else refused. */
export async function rampFlag(
  options: ChangeOptions,
  key: string,
  request: RampRequest,
): Promise<FlagWrite> {
  return change(options, key, (flags) => planRamp(flags, key, request))
}

/** The recorded changes, oldest first; only `key`'s when given. */
export async function flagHistory(choice: FlagFileChoice, key?: string): Promise<FlagChange[]> {
  const changes = await readHistory(historyPath(await flagFilePath(choice)))
  return key === undefined ? changes : changes.filter((c) => c.flag === key)
}

/** A planned edit of one flag: its next definition and what it does; `null`: nothing to change. */
export type FlagEdit = {
  readonly flag: FlagDefinition
  readonly summary: string
  readonly action: FlagAction
} | null

/**
 * A change another stage plans (`experiment start|stop`): `plan` sees the file as read and
 * returns the flag's next definition; it is compiled, written atomically and recorded like a
 * `set` or `ramp`. `plan` throws to refuse, and nothing is written.
 */
export async function changeFlag(
  options: ChangeOptions,
  key: string,
  plan: (flags: FlagFile) => FlagEdit,
): Promise<FlagWrite> {
  return change(options, key, plan)
}

/** Read, plan, write (compiled first), record; nothing is written or recorded for no change. */
async function change(
  options: ChangeOptions,
  key: string,
  plan: (flags: FlagFile) => FlagEdit,
): Promise<FlagWrite> {
  const file = await flagFilePath(options)
  const history = historyPath(file)
  const flags = await loadFlagFile(file)
  const edit = plan(flags)
  if (edit === null) return { file, history, change: null }
  await write(file, key, withFlag(flags, key, edit.flag))
  const record: FlagChange = {
    at: (options.now?.() ?? new Date()).toISOString(),
    who: options.who ?? (await currentActor(dirname(file), options.env)),
    flag: key,
    action: edit.action,
    summary: edit.summary,
    before: flags.flags[key] ?? null,
    after: edit.flag,
    reason: options.reason ?? null,
  }
  await recordChange(history, record)
  return { file, history, change: record }
}

/** Writes the edited file; an edit that would not compile is a usage error, nothing written. */
async function write(path: string, key: string, flags: FlagFile): Promise<void> {
  try {
    await writeFlagFile(path, flags)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    const problems = error.issues.map((issue) => issue.message).join('; ')
    throw new ShipgateError(
      'usage',
      `the change to flag '${key}' would make the flag file invalid, so nothing was written: ${problems}`,
      {
        hint: 'variants of one flag share one type (all strings, numbers, booleans or objects); --variant takes JSON: name=true, name=\'"text"\' or name=text',
        cause: error,
      },
    )
  }
}
