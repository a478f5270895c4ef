/**
 * Runs one command of a target (a platform CLI, kubectl) in its own process group, with a
 * timeout and an AbortSignal that kill the whole group, the environment given (nothing
 * inherited) and its output kept as tails, never printed.
 */
import { spawn } from 'node:child_process'

/** How much of stdout and stderr is kept (the end: where errors are). */
export const TAIL_BYTES = 4096
/** How long a process group gets after SIGTERM before SIGKILL. */
const KILL_GRACE_MS = 2_000

/** What to run: a shell line (`/bin/sh -c`) or an executable with its arguments. */
export type Command =
  { readonly shell: string } | { readonly file: string; readonly args: readonly string[] }

/** How a command ended. */
export interface RunResult {
  /** Exit code; `null` when it was killed or could not start. */
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  /** Why it did not exit 0 on its own, when it did not: `timed out after 1s`, `aborted`, ... */
  readonly failure: string | null
}

/** Options of {@link runCommand}. */
export interface RunOptions {
  readonly cwd: string
  readonly env: Readonly<Record<string, string>>
  readonly timeoutMs: number
  readonly signal: AbortSignal
}

/** Runs `command`; never throws (a failure to start is a result). */
export function runCommand(command: Command, options: RunOptions): Promise<RunResult> {
  const [file, args] =
    'shell' in command ? ['/bin/sh', ['-c', command.shell]] : [command.file, [...command.args]]
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  let stopped: string | null = null
  child.stdout.on('data', (d: Buffer) => (stdout = tail(stdout + d.toString())))
  child.stderr.on('data', (d: Buffer) => (stderr = tail(stderr + d.toString())))
  const stop = (why: string): void => {
    if (stopped !== null) return
    stopped = why
    killGroup(child.pid, 'SIGTERM')
    setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS).unref()
  }
  const onAbort = (): void => stop('aborted')
  const timer = setTimeout(
    () => stop(`timed out after ${seconds(options.timeoutMs)}`),
    options.timeoutMs,
  )
  if (options.signal.aborted) onAbort()
  else options.signal.addEventListener('abort', onAbort, { once: true })
  return new Promise((resolve) => {
    const finish = (code: number | null, failure: string | null): void => {
      clearTimeout(timer)
      options.signal.removeEventListener('abort', onAbort)
      resolve({ code, stdout, stderr, failure })
    }
    child.on('error', (error) => finish(null, `cannot run ${file}: ${error.message}`))
    child.on('close', (code, signal) => {
      if (stopped !== null) return finish(null, stopped)
      if (code === 0) return finish(0, null)
      finish(code, code === null ? `killed by ${String(signal)}` : `exited with code ${code}`)
    })
  })
}

/** Sends `signal` to the process group led by `pid`; a group that is gone is fine. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return
  try {
    process.kill(-pid, signal)
  } catch {
    // Already exited: nothing to stop.
  }
}

/** The last {@link TAIL_BYTES} characters of `text`. */
export function tail(text: string): string {
  return text.length <= TAIL_BYTES ? text : text.slice(-TAIL_BYTES)
}

/** The output worth showing for a failed command: stderr, or stdout when stderr is empty. */
export function outputTail(result: RunResult): string {
  const err = result.stderr.trim()
  return err !== '' ? err : result.stdout.trim()
}

function seconds(ms: number): string {
  return ms % 1_000 === 0 ? `${ms / 1_000}s` : `${ms}ms`
}
