import type { Logger } from '../contracts/logger.js'
import { EXIT_CODES } from '../errors.js'
import type { Redactor } from '../utils/redact.js'

/** What a command gets from the process: streams, place, environment, and the stop signal. */
export interface CommandIO {
  readonly cwd: string
  readonly env: Readonly<Record<string, string | undefined>>
  /** Results: tables, JSON, markdown. */
  readonly stdout: (text: string) => void
  /** Logs and progress. */
  readonly stderr: (text: string) => void
  readonly stderrIsTTY: boolean
  readonly columns: number | undefined
  readonly logger: Logger
  /** Aborted on the first Ctrl-C. */
  readonly signal: AbortSignal
  /**
   * What `stdout`, `stderr` and `logger` redact with; stages told it (through {@link project})
   * teach it the config's secrets when they load it.
   */
  readonly redactor?: Redactor
}

/** Exit codes a command returns (ARCHITECTURE §2); errors map to theirs in main. */
export const EXIT = {
  ok: 0,
  negative: 1,
  usage: EXIT_CODES.usage,
  environment: EXIT_CODES.environment,
  internal: EXIT_CODES.internal,
  interrupted: 130,
} as const

/** What every stage is told about the project: where, the environment, `-c`, logs, Ctrl-C. */
export interface ProjectOptions {
  readonly cwd: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly configFile: string | undefined
  readonly logger: Logger
  readonly signal: AbortSignal
  readonly redactor?: Redactor
}

/** The project options of a command run with `-c config` (or none). */
export function project(io: CommandIO, config: string | undefined): ProjectOptions {
  const { cwd, env, logger, signal, redactor } = io
  return { cwd, env, configFile: config, logger, signal, redactor }
}

/** A value as pretty JSON, for `--json`. */
export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`
}

/** Resolves once the command is stopped (Ctrl-C or SIGTERM): how a serving command waits. */
export function untilStopped(io: Pick<CommandIO, 'signal'>): Promise<void> {
  return new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve()
    io.signal.addEventListener('abort', () => resolve(), { once: true })
  })
}
