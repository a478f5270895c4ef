/**
 * The recorded history of flag changes: one JSON line per change made by `flags set` or
 * `flags ramp`, in `<name>.history.jsonl` next to the flag file (`flags.json` →
 * `flags.history.jsonl`), so it is reviewed and versioned with the file. Each change is one
 * `appendFile` of one line (O_APPEND: concurrent writers never interleave within a line).
 */
import { execFile } from 'node:child_process'
import { appendFile, readFile } from 'node:fs/promises'
import { basename, dirname, extname, join } from 'node:path'
import { promisify } from 'node:util'
import type { FlagChange } from '../../contracts/flags.js'
import { ConfigError, environmentError } from '../../errors.js'
import { errorMessage } from '../../utils/errors.js'

/** The history file of the flag file at `path`. */
export function historyPath(path: string): string {
  return join(dirname(path), `${basename(path, extname(path))}.history.jsonl`)
}

/** Appends `change` to the history at `path`. */
export async function recordChange(path: string, change: FlagChange): Promise<void> {
  try {
    await appendFile(path, `${JSON.stringify(change)}\n`)
  } catch (cause) {
    throw environmentError(
      `the flag file was changed, but the change could not be recorded in ${path}: ${errorMessage(cause)}`,
      'check that the directory is writable; the change itself is in place',
      cause,
    )
  }
}

/** The changes recorded at `path`, oldest first; none when the file does not exist yet. */
export async function readHistory(path: string): Promise<FlagChange[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  return text
    .split('\n')
    .flatMap((line, i) => (line.trim() === '' ? [] : [parseLine(path, line, i + 1)]))
}

function parseLine(path: string, line: string, number: number): FlagChange {
  try {
    const change = JSON.parse(line) as FlagChange
    if (typeof change.flag === 'string' && typeof change.at === 'string') return change
  } catch {
    // Reported below with the line.
  }
  throw new ConfigError([
    {
      file: path,
      line: number,
      message: 'not a recorded flag change',
      hint: 'the history is JSON lines written by shipgate flags; fix or remove this line',
    },
  ])
}

/** Who makes a change: git's `user.name` in `dir`, else `$USER`, else `unknown`. */
export async function currentActor(
  dir: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('git', ['config', 'user.name'], {
      cwd: dir,
      timeout: 5000,
    })
    if (stdout.trim() !== '') return stdout.trim()
  } catch {
    // Not a repository, no git, or no user.name: fall back to the login name.
  }
  return env.USER?.trim() || env.USERNAME?.trim() || 'unknown'
}
