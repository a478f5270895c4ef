import type { ExperimentEvent } from '@shipgate/runtime/experiments'
import type { ExperimentEventQuery, ExperimentEventSummary } from '../contracts/store.js'

/** Per experiment and type counts and times, folded into one summary per experiment. */
export function summarize(
  rows: readonly { experiment: string; type: string; n: number; first: string; last: string }[],
): ExperimentEventSummary[] {
  const out = new Map<string, ExperimentEventSummary>()
  for (const row of rows) {
    const had = out.get(row.experiment) ?? {
      experiment: row.experiment,
      exposures: 0,
      outcomes: 0,
      samples: 0,
      first: row.first,
      last: row.last,
    }
    const count =
      row.type === 'exposure' ? 'exposures' : row.type === 'outcome' ? 'outcomes' : 'samples'
    out.set(row.experiment, {
      ...had,
      [count]: had[count] + row.n,
      first: row.first < had.first ? row.first : had.first,
      last: row.last > had.last ? row.last : had.last,
    })
  }
  return [...out.values()]
}

/** Whether an event passes a query's filters (the memory store's reads). */
export function matchesQuery(event: ExperimentEvent, query: ExperimentEventQuery): boolean {
  if (query.types !== undefined && !query.types.includes(event.type)) return false
  if (query.since !== undefined && event.at < query.since) return false
  return query.before === undefined || event.at < query.before
}

/** Oldest first, then by id: the order every store reads events in. */
export function byTimeThenId(a: ExperimentEvent, b: ExperimentEvent): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}
