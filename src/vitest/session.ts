import { CASSETTE_MODES, type CassetteMode } from '../contracts/cassette.js'
import type { Logger } from '../contracts/logger.js'
import { usageError } from '../errors.js'
import { createLogger } from '../logger.js'
import { openGrader, type ConfigInput, type Grader } from '../workflows/grade/index.js'

/** How the matchers find the project: {@link setupShipgate}'s options. */
export interface ShipgateSetup {
  /**
   * The config: a file (relative to `cwd`), or a config value. Default: `SHIPGATE_CONFIG`, else
   * `shipgate.yaml` found upward from `cwd`.
   */
  readonly config?: string | ConfigInput
  /** Where the config is looked for; relative paths of a config value resolve here. */
  readonly cwd?: string
  /**
   * Cassette mode over the config's `cassettes.mode`. Default: `SHIPGATE_CASSETTE_MODE`, else
   * the config's (calls pass through unrecorded when the config has no `cassettes:`).
   */
  readonly mode?: CassetteMode
  /** Cassette directory over the config's `cassettes.dir`. */
  readonly cassettes?: string
  /** Environment variables the config reads (default: `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Where shipgate logs (default: warnings and errors to stderr). */
  readonly logger?: Logger
}

let setup: ShipgateSetup = {}
let grader: Promise<Grader> | undefined

/**
 * Sets where the matchers find the project, and opens it (its config is loaded and checked
 * now; judges open on first use). Call before the first matcher of a test file, or after
 * {@link closeShipgate}; without it the first matcher opens the project from `process.cwd()`.
 */
export function setupShipgate(options: ShipgateSetup = {}): Promise<void> {
  if (grader !== undefined) {
    throw usageError(
      'shipgate is already set up for this test file',
      'call setupShipgate() once, before the first matcher (or await closeShipgate() first)',
    )
  }
  setup = options
  const opened = currentGrader().then(() => undefined)
  // The caller may not await: a config error then surfaces at the first matcher instead.
  opened.catch(() => undefined)
  return opened
}

/** The grader of the current setup, opened on first use. */
export function currentGrader(): Promise<Grader> {
  grader ??= open(setup)
  return grader
}

/**
 * Writes pending recordings and closes the judges. Registered with `afterAll` when
 * `shipgate/vitest` is imported into a test file; the next matcher opens the project again.
 */
export async function closeShipgate(): Promise<void> {
  const closing = grader
  grader = undefined
  if (closing === undefined) return
  const opened = await closing.catch(() => undefined)
  await opened?.close()
}

async function open(options: ShipgateSetup): Promise<Grader> {
  const env = options.env ?? process.env
  const config = options.config ?? env.SHIPGATE_CONFIG
  const mode = options.mode ?? modeOf(env.SHIPGATE_CASSETTE_MODE)
  return openGrader({
    cwd: options.cwd ?? process.cwd(),
    env,
    logger: options.logger ?? createLogger({ level: 'warn' }),
    ...(typeof config === 'string' ? { configFile: config } : {}),
    ...(typeof config === 'object' ? { config } : {}),
    cassettes: { mode, dir: options.cassettes },
  })
}

function modeOf(value: string | undefined): CassetteMode | undefined {
  if (value === undefined || value === '') return undefined
  const mode = CASSETTE_MODES.find((m) => m === value)
  if (mode === undefined) {
    throw usageError(
      `SHIPGATE_CASSETTE_MODE=${value} is not a cassette mode`,
      `use one of: ${CASSETTE_MODES.join(', ')}`,
    )
  }
  return mode
}
