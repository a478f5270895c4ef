/**
 * The few coded errors shipgate throws for misconfiguration, environment problems and bugs.
 * Expected negative outcomes (a failed assertion, a gate, a provider call) are values, not
 * errors. Only the CLI's `cli/main.ts` turns an error into an exit code. Defined here, once,
 * for the runtime and the CLI alike (docs/decisions/0006-runtime-package.md).
 */

/** Error codes and the exit code each maps to (ARCHITECTURE §2). */
export const EXIT_CODES = {
  usage: 2,
  config: 2,
  environment: 3,
  internal: 70,
} as const

export type ErrorCode = keyof typeof EXIT_CODES

/** Base class: a message saying what is wrong, and a one-line hint saying what to do. */
export class ShipgateError extends Error {
  readonly code: ErrorCode
  readonly hint: string | undefined

  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'ShipgateError'
    this.code = code
    this.hint = options.hint
  }

  get exitCode(): number {
    return EXIT_CODES[this.code]
  }
}

/**
 * A problem in a config or case file and where it is: a 1-based line and column, or, for a
 * config given as a value (`file` is then `<inline config>`), the key path.
 */
export interface ConfigIssue {
  readonly file: string
  readonly line?: number
  readonly column?: number
  /** The key path of the value, e.g. `suites.review.threshold`, when there are no lines. */
  readonly path?: string
  readonly message: string
  readonly hint?: string
}

/** One or more problems in config or case files, each with its position. */
export class ConfigError extends ShipgateError {
  readonly issues: readonly ConfigIssue[]

  constructor(issues: readonly ConfigIssue[], options: { cause?: unknown } = {}) {
    super('config', formatIssues(issues), options)
    this.name = 'ConfigError'
    this.issues = issues
  }
}

/**
 * Formats issues as `file:line:column: message` (or `<inline config> at key.path: message`)
 * lines, each followed by its hint.
 */
export function formatIssues(issues: readonly ConfigIssue[]): string {
  return issues.map(formatIssue).join('\n')
}

function formatIssue(issue: ConfigIssue): string {
  const where =
    issue.path === undefined
      ? [issue.file, issue.line, issue.column].filter((p) => p !== undefined).join(':')
      : `${issue.file} at ${issue.path}`
  const hint = issue.hint === undefined ? '' : `\n  hint: ${issue.hint}`
  return `${where}: ${issue.message}${hint}`
}

/** Bad command-line usage. */
export function usageError(message: string, hint?: string): ShipgateError {
  return new ShipgateError('usage', message, hint === undefined ? {} : { hint })
}

/** Something outside shipgate is missing or broken: credentials, the store, a cassette. */
export function environmentError(message: string, hint?: string, cause?: unknown): ShipgateError {
  return new ShipgateError('environment', message, { hint, cause })
}
