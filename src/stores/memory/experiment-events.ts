import type { ExperimentEvent } from '@shipgate/runtime/experiments'
import type {
  ExperimentEventQuery,
  ExperimentEventRepository,
  ExperimentEventSummary,
} from '../../contracts/store.js'
import { byTimeThenId, matchesQuery, summarize } from '../experiment-events.js'

/** Experiment events in process memory, by id. */
export class MemoryExperimentEventRepository implements ExperimentEventRepository {
  private readonly events = new Map<string, ExperimentEvent>()

  append(events: readonly ExperimentEvent[]): Promise<{ stored: number; duplicates: number }> {
    let stored = 0
    for (const event of events) {
      if (this.events.has(event.id)) continue
      this.events.set(event.id, structuredClone(event))
      stored += 1
    }
    return Promise.resolve({ stored, duplicates: events.length - stored })
  }

  async *read(
    experiment: string,
    query: ExperimentEventQuery = {},
  ): AsyncIterable<ExperimentEvent> {
    const matching = [...this.events.values()].filter(
      (e) => e.experiment === experiment && matchesQuery(e, query),
    )
    await Promise.resolve()
    for (const event of matching.sort(byTimeThenId)) yield structuredClone(event)
  }

  experiments(): Promise<ExperimentEventSummary[]> {
    const rows = new Map<
      string,
      { experiment: string; type: string; n: number; first: string; last: string }
    >()
    for (const e of this.events.values()) {
      const key = `${e.experiment}\u0000${e.type}`
      const row = rows.get(key) ?? {
        experiment: e.experiment,
        type: e.type,
        n: 0,
        first: e.at,
        last: e.at,
      }
      rows.set(key, {
        ...row,
        n: row.n + 1,
        first: e.at < row.first ? e.at : row.first,
        last: e.at > row.last ? e.at : row.last,
      })
    }
    const sorted = [...rows.values()].sort((a, b) => (a.experiment < b.experiment ? -1 : 1))
    return Promise.resolve(summarize(sorted))
  }
}
