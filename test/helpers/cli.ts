import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The built CLI (`npm test` builds before testing). */
export const BIN = fileURLToPath(new URL('../../bin/shipgate.js', import.meta.url))

/** What a CLI run printed and how it exited. */
export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs `shipgate ARGS` in `cwd` and collects its output. Never throws for a non-zero exit. */
export function runCli(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<CliResult> {
  return finished(startCli(args, options))
}

/** Starts the CLI without waiting, for tests that signal it. */
export function startCli(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): ChildProcess {
  // The tests' own CI variables must not leak in; a test that wants CI says so.
  const inherited: Record<string, string | undefined> = { ...process.env }
  for (const name of [
    'CI',
    'GITHUB_ACTIONS',
    'GITHUB_EVENT_PATH',
    'GITHUB_STEP_SUMMARY',
    'GITHUB_TOKEN',
    'SHIPGATE_APPROVE',
  ])
    delete inherited[name]
  const env = { ...inherited, NO_COLOR: '1', ...options.env }
  return spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

/** Waits for a started CLI and collects its output. */
export function finished(child: ChildProcess): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}
