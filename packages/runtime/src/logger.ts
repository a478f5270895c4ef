import type { Logger } from './contracts/logger.js'

/** A logger that drops everything; for tests and library callers who want silence. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
}
