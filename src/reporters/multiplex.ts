import { environmentError } from '../errors.js'
import { errorMessage } from '../utils/errors.js'
import type { Logger } from '../contracts/logger.js'
import type { Reporter } from '../contracts/reporter.js'

/**
 * Fans events out to several reporters. A reporter that throws is logged and dropped from later
 * events; the run and the other reporters carry on (as Playwright's multiplexer does). When the
 * run ends, a `required` reporter that failed makes `onRunEnd` reject with an environment error
 * naming it, after every reporter has had its turn.
 */
export function multiplex(
  reporters: readonly Reporter[],
  logger: Logger,
): Required<Omit<Reporter, 'name' | 'required'>> {
  const broken = new Map<Reporter, string>()
  const fail = (reporter: Reporter, event: string, error: unknown): void => {
    const message = errorMessage(error)
    broken.set(reporter, message)
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
    async onRunEnd(results) {
      await each('onRunEnd', (r) => r.onRunEnd?.(results))
      const lost = reporters.filter((r) => r.required === true && broken.has(r))
      if (lost.length > 0) {
        const what = lost.map((r) => `${r.name} (${broken.get(r) ?? 'failed'})`).join('; ')
        throw environmentError(
          `the run is saved, but a requested report could not be written: ${what}`,
          'check the -o paths: their directories must be writable',
        )
      }
    },
  }
}
