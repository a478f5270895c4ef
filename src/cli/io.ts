import type { ServiceOptions } from '../workflows/checks/service.js'
import type { Logger } from '../contracts/logger.js'
import { EXIT_CODES } from '../errors.js'

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

/** The options of `openService` for `smoke` and `monitor`: the service, `-c`, and the I/O. */
export function serviceOptions(
  spec: string,
  config: string | undefined,
  io: CommandIO,
): ServiceOptions {
  return {
    spec,
    cwd: io.cwd,
    env: io.env,
    logger: io.logger,
    signal: io.signal,
    ...(config === undefined ? {} : { configFile: config }),
  }
}
