import type { Reporter, ReporterFactory, RunStartEvent } from '../contracts/reporter.js'
import { usageError } from '../errors.js'
import type { SampleResult } from '../contracts/results.js'
import { formatMs, formatUsd } from './format.js'

/** Options of {@link progressReporter}. */
export interface ProgressOptions {
  /** Where progress goes: stderr. */
  readonly write: (text: string) => void
  /** A TTY gets a redrawn bar; anything else a plain line every `intervalMs`. */
  readonly tty: boolean
  readonly intervalMs?: number
  readonly now?: () => number
  /** Terminal width, for the bar. */
  readonly columns?: number
}

/**
 * Progress on stderr: done/total, passed/failed, cost so far and ETA. On a TTY a bar redrawn at
 * most ten times a second; in CI logs a plain line every few seconds.
 */
export function progressReporter(options: ProgressOptions): Reporter {
  const now = options.now ?? Date.now
  const interval = options.tty ? 100 : (options.intervalMs ?? 5000)
  let total = 0
  let done = 0
  let passed = 0
  let cost = 0
  let priced = false
  let started = 0
  let lastDraw = 0

  const line = (): string => {
    const elapsed = now() - started
    const eta = done === 0 ? null : (elapsed / done) * (total - done)
    const costText = priced ? formatUsd(cost) : 'unpriced'
    const stats = `${done}/${total}  passed ${passed}  failed ${done - passed}  ${costText}  eta ${formatMs(eta)}`
    if (!options.tty) return `progress: ${stats}`
    const width = Math.max(10, Math.min(30, (options.columns ?? 80) - stats.length - 4))
    const filled = total === 0 ? width : Math.round((done / total) * width)
    return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${stats}`
  }
  const draw = (final: boolean): void => {
    if (options.tty) options.write(`\r\x1b[2K${line()}${final ? '\n' : ''}`)
    else options.write(`${line()}\n`)
  }

  return {
    name: 'progress',
    onRunStart(event: RunStartEvent) {
      total = event.totalSamples
      started = now()
      lastDraw = started
    },
    onSample(sample: SampleResult) {
      done += 1
      if (sample.pass) passed += 1
      if (sample.costUsd !== null) {
        cost += sample.costUsd
        priced = true
      }
      const t = now()
      if (t - lastDraw >= interval) {
        lastDraw = t
        draw(false)
      }
    },
    onRunEnd() {
      if (options.tty) draw(true)
    },
  }
}

/** The progress reporter for the builtin map: a stream only (a file of progress lines is a log). */
export const progressFactory: ReporterFactory = (output) => {
  if ('file' in output) throw usageError('progress is written to a stream, not a file')
  return progressReporter({
    write: output.write,
    tty: output.tty === true,
    columns: output.columns,
  })
}
