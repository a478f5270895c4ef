/** Log levels in increasing order of severity. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

/**
 * A logger writes human-oriented messages to stderr, never stdout. Loggers are injected and
 * tagged (`logger.child('mock')`); secrets are redacted in one place, the logger itself.
 */
export interface Logger {
  debug(message: string): void
  info(message: string): void
  warn(message: string): void
  error(message: string): void
  /** A logger whose messages are prefixed with `tag`. */
  child(tag: string): Logger
}
