import { errorMessage } from '../utils/errors.js'
import type { Logger } from '../contracts/logger.js'
import type { Reporter } from '../contracts/reporter.js'

/**
 * Fans events out to several reporters. A reporter that throws is logged and dropped from later
 * events; the run and the other reporters carry on (as Playwright's multiplexer does).
 */
export function multiplex(
  reporters: readonly Reporter[],
  logger: Logger,
): Required<Omit<Reporter, 'name'>> {
  const broken = new Set<Reporter>()
  const fail = (reporter: Reporter, event: string, error: unknown): void => {
    broken.add(reporter)
    const message = errorMessage(error)
    logger.error(`reporter ${reporter.name} failed in ${event} and is disabled: ${message}`)
  }
  const each = async (
    event: 'onRunStart' | 'onRunEnd',
    call: (r: Reporter) => unknown,
  ): Promise<void> => {
    for (const reporter of reporters) {
      if (broken.has(reporter) || reporter[event] === undefined) continue
      try {
        await call(reporter)
      } catch (error) {
        fail(reporter, event, error)
      }
    }
  }
  return {
    onRunStart: (event) => each('onRunStart', (r) => r.onRunStart?.(event)),
    onSample(sample) {
      for (const reporter of reporters) {
        if (broken.has(reporter) || reporter.onSample === undefined) continue
        try {
          reporter.onSample(sample)
        } catch (error) {
          fail(reporter, 'onSample', error)
        }
      }
    },
    onRunEnd: (results) => each('onRunEnd', (r) => r.onRunEnd?.(results)),
  }
}
