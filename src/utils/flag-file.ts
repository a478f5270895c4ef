/**
 * The flag file on disk, shared by the `flags` deploy target and `shipgate flags`: read and
 * checked by the runtime SDK's own compiler (the one the service's provider runs, so an error
 * names the file, line, flag and path the same way), and written atomically — a temporary
 * sibling renamed over it — so the service's watcher never reads half a file. What is written is
 * compiled first: an invalid file is never written.
 */
import { readFile } from 'node:fs/promises'
import { compileFlags, type FlagDefinition, type FlagFile } from '@shipgate/runtime/flags'
import { errorMessage } from './errors.js'
import { writeFileAtomic } from './files.js'

/** A read flag file, or why it cannot be used: `cause` is the compiler's ConfigError (with file:line) or the read error. */
export type FlagFileRead =
  | { readonly ok: true; readonly file: FlagFile }
  | {
      readonly ok: false
      readonly reason: string
      readonly missing: boolean
      readonly cause: unknown
    }

/** Reads and validates the flag file at `path`. */
export async function readFlagFile(path: string): Promise<FlagFileRead> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT'
    const reason = missing
      ? `${path} does not exist: create it with {"flags": {}} and point the service's FileFlagProvider at it`
      : `cannot read ${path}: ${errorMessage(cause)}`
    return { ok: false, reason, missing, cause }
  }
  try {
    compileFlags(text, path)
  } catch (cause) {
    return { ok: false, reason: errorMessage(cause), missing: false, cause }
  }
  return { ok: true, file: JSON.parse(text) as FlagFile }
}

/** `file` with flag `key` set to `flag` (removed when `null`); the other flags as they were. */
export function withFlag(file: FlagFile, key: string, flag: FlagDefinition | null): FlagFile {
  const flags = { ...file.flags }
  if (flag === null) delete flags[key]
  else flags[key] = flag
  return { ...file, flags }
}

/** Writes `file` to `path` atomically, after checking that it compiles. */
export async function writeFlagFile(path: string, file: FlagFile): Promise<void> {
  const text = `${JSON.stringify(file, null, 2)}\n`
  compileFlags(text, path)
  await writeFileAtomic(path, text)
}
