import type { CassetteMiss } from '../../cassettes/types.js'
import { describeMiss } from '../../cassettes/nearest.js'
import type { SampleResult } from '../../contracts/results.js'
import { environmentError, type ShipgateError } from '../../errors.js'

const SHOWN_MISSES = 3

/** Watches a run for failures that make going on pointless, and stops it (exit 3). */
export interface RunGuard {
  /** A replay found no recording: nothing can answer it offline. */
  onMiss(miss: CassetteMiss): void
  /** A sample failed authentication: every other call to that provider will too. */
  onSample(sample: SampleResult): void
  /** Why the run was stopped, as the error the command should end with; `undefined` if it was not. */
  error(): ShipgateError | undefined
}

/**
 * The misses as one error: each distinct request once (the repeats of a case send the same
 * request, told apart only by their ordinal), with how often it was missed.
 */
function missError(misses: readonly CassetteMiss[]): ShipgateError {
  const byKey = new Map<string, { first: CassetteMiss; count: number }>()
  for (const miss of misses) {
    const seen = byKey.get(miss.key)
    if (seen === undefined) byKey.set(miss.key, { first: miss, count: 1 })
    else seen.count += 1
  }
  const distinct = [...byKey.values()]
  const shown = distinct.slice(0, SHOWN_MISSES).map(({ first, count }) => {
    const times = count === 1 ? '' : ` (missed ${count} times: once per repeat)`
    return `  ${describeMiss(first)}${times}`
  })
  const more = distinct.length > SHOWN_MISSES ? [`  (+${distinct.length - SHOWN_MISSES} more)`] : []
  const requests = `${distinct.length} request${distinct.length === 1 ? '' : 's'}`
  const calls = misses.length === distinct.length ? '' : ` (${misses.length} calls)`
  return environmentError(
    `replay found no recording for ${requests}${calls}:\n${[...shown, ...more].join('\n')}`,
    'record them with `shipgate eval --record-missing` (needs the API keys), or find out why the request changed',
  )
}

/** A guard that aborts `stop` on the first cassette miss or authentication failure. */
export function createRunGuard(stop: AbortController): RunGuard {
  const misses: CassetteMiss[] = []
  let auth: SampleResult | undefined
  return {
    onMiss(miss) {
      misses.push(miss)
      stop.abort()
    },
    onSample(sample) {
      if (sample.error?.kind !== 'auth' || auth !== undefined) return
      auth = sample
      stop.abort()
    },
    error() {
      if (misses.length > 0) return missError(misses)
      if (auth?.error != null) {
        return environmentError(
          `suite ${auth.suite}: authentication failed: ${auth.error.message}`,
          auth.error.hint ?? 'check the API key the provider uses',
        )
      }
      return undefined
    },
  }
}
