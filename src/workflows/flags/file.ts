/** The flag file for a command: read and compiled, or the error that says what to fix. */
import type { FlagFile } from '@shipgate/runtime/flags'
import { ConfigError, ShipgateError } from '../../errors.js'
import { readFlagFile } from '../../utils/flag-file.js'

/**
 * The flag file at `path`. Throws the compiler's ConfigError (file:line:column per problem) when
 * it is invalid, and a usage error when it is missing or unreadable.
 */
export async function loadFlagFile(path: string): Promise<FlagFile> {
  const read = await readFlagFile(path)
  if (read.ok) return read.file
  if (read.cause instanceof ConfigError) throw read.cause
  throw new ShipgateError('usage', read.missing ? `${path} does not exist` : read.reason, {
    hint: read.missing
      ? 'create it with {"flags": {}}, or name another with --file (or release.flags in shipgate.yaml)'
      : 'check the path and its permissions',
    cause: read.cause,
  })
}
