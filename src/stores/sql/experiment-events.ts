import type { Kysely } from 'kysely'
import { EVENT_VERSION, type ExperimentEvent } from '@shipgate/runtime/experiments'
import type {
  ExperimentEventQuery,
  ExperimentEventRepository,
  ExperimentEventSummary,
} from '../../contracts/store.js'
import { summarize } from '../experiment-events.js'
import type { Database, ExperimentEventsTable } from './schema.js'

/** Rows per INSERT (10 columns a row) and per page of a read. */
const CHUNK = 500
const PAGE = 5000

/** The experiment-events repository over any Kysely dialect (SQLite, Postgres). */
export class SqlExperimentEventRepository implements ExperimentEventRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async append(
    events: readonly ExperimentEvent[],
  ): Promise<{ stored: number; duplicates: number }> {
    let stored = 0
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < events.length; i += CHUNK) {
        const result = await trx
          .insertInto('experiment_events')
          .values(events.slice(i, i + CHUNK).map(eventRow))
          .onConflict((oc) => oc.column('id').doNothing())
          .executeTakeFirst()
        stored += Number(result.numInsertedOrUpdatedRows ?? 0n)
      }
    })
    return { stored, duplicates: events.length - stored }
  }

  async *read(
    experiment: string,
    query: ExperimentEventQuery = {},
  ): AsyncIterable<ExperimentEvent> {
    let after: { at: string; id: string } | undefined
    for (;;) {
      let select = this.db
        .selectFrom('experiment_events')
        .selectAll()
        .where('experiment', '=', experiment)
      if (query.types !== undefined) select = select.where('type', 'in', [...query.types])
      if (query.since !== undefined) select = select.where('at', '>=', query.since)
      if (query.before !== undefined) select = select.where('at', '<', query.before)
      if (after !== undefined) {
        const { at, id } = after
        // `at >= ?` lets the index seek to the page's start (the OR alone scans from the first row).
        select = select
          .where('at', '>=', at)
          .where((eb) => eb.or([eb('at', '>', at), eb.and([eb('at', '=', at), eb('id', '>', id)])]))
      }
      const rows = await select.orderBy('at').orderBy('id').limit(PAGE).execute()
      for (const row of rows) yield eventFromRow(row)
      const last = rows.at(-1)
      if (last === undefined || rows.length < PAGE) return
      after = { at: last.at, id: last.id }
    }
  }

  async experiments(): Promise<ExperimentEventSummary[]> {
    const rows = await this.db
      .selectFrom('experiment_events')
      .select((eb) => [
        'experiment',
        'type',
        eb.fn.countAll<number | string | bigint>().as('n'),
        eb.fn.min('at').as('first'),
        eb.fn.max('at').as('last'),
      ])
      .groupBy(['experiment', 'type'])
      .orderBy('experiment')
      .execute()
    return summarize(
      rows.map((r) => ({ ...r, n: Number(r.n), first: String(r.first), last: String(r.last) })),
    )
  }
}

function eventRow(event: ExperimentEvent): ExperimentEventsTable {
  return {
    id: event.id,
    experiment: event.experiment,
    type: event.type,
    variant: event.variant,
    user_id: event.user,
    at: event.at,
    name: event.type === 'outcome' ? event.name : null,
    value: event.type === 'outcome' ? event.value : null,
    input: event.type === 'sample' ? event.input : null,
    output: event.type === 'sample' ? event.output : null,
  }
}

// Each type is built as one literal of a fixed shape: a spread would give every event a hidden
// class of its own (ADR 0009), and an analysis reads a million of them.
function eventFromRow(row: ExperimentEventsTable): ExperimentEvent {
  const { id, experiment, variant, user_id: user, at } = row
  if (row.type === 'outcome') {
    const [name, value] = [row.name ?? '', Number(row.value)]
    return { v: EVENT_VERSION, id, experiment, variant, user, at, type: 'outcome', name, value }
  }
  if (row.type === 'sample') {
    const [input, output] = [row.input ?? '', row.output ?? '']
    return { v: EVENT_VERSION, id, experiment, variant, user, at, type: 'sample', input, output }
  }
  return { v: EVENT_VERSION, id, experiment, variant, user, at, type: 'exposure' }
}
