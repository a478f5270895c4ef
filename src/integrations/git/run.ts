import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { environmentError, usageError } from '../../errors.js'

const run = promisify(execFile)

/** Largest output read from one git command. */
const MAX_OUTPUT = 256 * 2 ** 20

/**
 * Runs `git args` in `cwd` and returns its stdout as bytes. Git missing is an environment error;
 * git failing is a usage error quoting git's own message (most often: not a repository, or an
 * unknown ref). A `maxBuffer` overflow keeps Node's `ERR_CHILD_PROCESS_STDIO_MAXBUFFER` code.
 */
export async function gitBytes(
  cwd: string,
  args: readonly string[],
  { maxBuffer = MAX_OUTPUT, timeoutMs = 0 }: { maxBuffer?: number; timeoutMs?: number } = {},
): Promise<Buffer> {
  try {
    const { stdout } = await run('git', args, {
      cwd,
      encoding: 'buffer',
      maxBuffer,
      timeout: timeoutMs,
    })
    return stdout
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: Buffer }
    if (e.code === 'ENOENT') throw environmentError('git is not installed', 'install git')
    if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') throw error
    const said = e.stderr?.toString('utf8').trim() || e.message
    throw usageError(`git ${args.join(' ')} failed: ${said}`, 'run inside a git repository')
  }
}

/** {@link gitBytes} as trimmed text. */
export async function gitText(
  cwd: string,
  args: readonly string[],
  options?: { timeoutMs?: number },
): Promise<string> {
  return (await gitBytes(cwd, args, options)).toString('utf8').trim()
}

/** Git's `-z` output as paths. */
export function nulSeparated(out: Buffer | string): string[] {
  return out
    .toString()
    .split('\0')
    .filter((p) => p !== '')
}
