import { readFileSync } from 'node:fs'
import { ConfigError, ShipgateError, formatIssues } from '../errors.js'
import { createLogger } from '../logger.js'
import { shipgateVersion } from '../utils/package.js'
import { createRedactor } from '../utils/redact.js'
import { EXIT, type CommandIO } from './io.js'

/**
 * Runs the CLI and exits the process with its exit code: the only place that exits. Output is
 * flushed first: a pipe (`shipgate eval --json | jq`) may still hold what was written, and
 * exiting at once would cut it off.
 */
export async function run(argv: readonly string[]): Promise<never> {
  const code = await main(argv, { tuneHeap: true })
  await flushed(process.stdout)
  await flushed(process.stderr)
  process.exit(code)
}

function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (!stream.writable) return resolve()
    stream.write('', () => resolve())
  })
}

/**
 * The CLI's single error boundary: returns the exit code. A command's work is imported when it
 * runs, so `--help` on a terminal loads only the command definitions, and `--version` (and
 * `--help` into a pipe) not even those. With `tuneHeap` (the CLI's own process, not a caller's),
 * V8's heap settings for a run are set before a command loads (ADR 0012).
 */
export async function main(
  argv: readonly string[],
  options: { readonly tuneHeap?: boolean } = {},
): Promise<number> {
  const io = processIO()
  // The one command that must not wait for commander: a version check in a script or CI log.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    io.stdout(`${shipgateVersion()}\n`)
    return EXIT.ok
  }
  // The program's help, rendered at build time, for output that is not a terminal (where
  // commander wraps at 80 columns, so the text is the same): scripts and CI logs.
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h') && !process.stdout.isTTY) {
    const help = prerenderedHelp()
    if (help !== undefined) {
      io.stdout(help)
      return EXIT.ok
    }
  }
  let exit: number = EXIT.ok
  try {
    if (options.tuneHeap === true) (await import('./heap.js')).tuneHeap()
    const { buildProgram } = await import('./program.js')
    const program = buildProgram(argv, io, (code) => (exit = code))
    await program.parseAsync(argv, { from: 'user' })
    return exit
  } catch (error) {
    return handleError(error, io)
  }
}

/**
 * `help.txt` next to the bundle (scripts/bundle.mjs writes it from the built program), or
 * undefined where there is none (the tsc output that tests import).
 */
function prerenderedHelp(): string | undefined {
  try {
    return readFileSync(new URL('./help.txt', import.meta.url), 'utf8')
  } catch {
    return undefined
  }
}

/** How many problems of a config error are printed. */
const SHOWN_ISSUES = 20

function handleError(error: unknown, io: CommandIO): number {
  if (isCommanderError(error)) {
    // --help and --version end here too, with exit code 0.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage
  }
  if (error instanceof ConfigError) {
    const count = error.issues.length
    // The first problems are enough to act on; binary junk as a case file has thousands.
    const more = count > SHOWN_ISSUES ? `\n… and ${count - SHOWN_ISSUES} more problems\n` : '\n'
    io.stderr(
      `shipgate: ${count === 1 ? 'a problem' : `${count} problems`} in config\n${formatIssues(error.issues.slice(0, SHOWN_ISSUES))}${more}`,
    )
    return error.exitCode
  }
  if (error instanceof ShipgateError) {
    io.stderr(
      `shipgate: ${error.message}\n${error.hint === undefined ? '' : `  hint: ${error.hint}\n`}`,
    )
    return error.exitCode
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error)
  io.stderr(`shipgate: internal error — please report it with this output\n${stack}\n`)
  return EXIT.internal
}

/**
 * The process's streams. Everything written to them, the fatal message included, goes through
 * one redactor, which learns the config's secrets when a command loads it.
 */
function processIO(): CommandIO {
  const controller = new AbortController()
  const redactor = createRedactor()
  const stderr = (text: string): void => void process.stderr.write(redactor.text(text))
  let interrupts = 0
  // SIGTERM (a CI job cancelled, `kill`) stops as gracefully as a first Ctrl-C.
  process.on('SIGTERM', () => controller.abort())
  process.on('SIGINT', () => {
    interrupts += 1
    if (interrupts > 1) process.exit(EXIT.interrupted)
    stderr(
      '\nshipgate: interrupted — letting calls in flight finish, then saving results (Ctrl-C again to quit now)\n',
    )
    controller.abort()
  })
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: (text) => void process.stdout.write(redactor.text(text)),
    stderr,
    stderrIsTTY: process.stderr.isTTY === true,
    columns: process.stderr.columns,
    logger: createLogger({
      color: process.stderr.isTTY === true,
      level: process.env.SHIPGATE_LOG_LEVEL === 'debug' ? 'debug' : 'info',
      write: (line) => stderr(`${line}\n`),
    }),
    signal: controller.signal,
    redactor,
  }
}

/**
 * commander's own errors (usage, --help), told by their `commander.*` code: commander loads only
 * on demand, and its class name does not survive bundling.
 */
function isCommanderError(error: unknown): error is { exitCode: number } {
  const { code, exitCode } = (error ?? {}) as { code?: unknown; exitCode?: unknown }
  return typeof code === 'string' && code.startsWith('commander.') && typeof exitCode === 'number'
}
