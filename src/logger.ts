import { styleText } from 'node:util'
import type { Logger, LogLevel } from './contracts/logger.js'

export { silentLogger } from '@shipgate/runtime/internal'

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  readonly level?: LogLevel
  /** Where lines go; stderr by default. */
  readonly write?: (line: string) => void
  readonly color?: boolean
  /** Values that must never be printed (secrets read from the environment). */
  readonly secrets?: readonly string[]
}

/**
 * A logger writing to stderr. Redaction of secrets happens here, once: every value in `secrets`
 * is replaced by `[REDACTED]` in every message.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = ORDER[options.level ?? 'info']
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'))
  const color = options.color ?? false
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 8)
  const redact = (text: string): string =>
    secrets.reduce((out, secret) => out.split(secret).join('[REDACTED]'), text)

  const make = (prefix: string): Logger => {
    const log = (level: LogLevel, message: string): void => {
      if (ORDER[level] < threshold) return
      const label = level === 'info' ? '' : `${level}: `
      const styled = color ? paint(level, label) : label
      write(`${prefix}${styled}${redact(message)}`)
    }
    return {
      debug: (m) => log('debug', m),
      info: (m) => log('info', m),
      warn: (m) => log('warn', m),
      error: (m) => log('error', m),
      child: (tag) => make(`${prefix}[${tag}] `),
    }
  }
  return make('')
}

function paint(level: LogLevel, label: string): string {
  if (label === '') return label
  const style = level === 'error' ? 'red' : level === 'warn' ? 'yellow' : 'gray'
  return styleText(style, label)
}
