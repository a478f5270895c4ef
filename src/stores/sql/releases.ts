import type { Kysely } from 'kysely'
import type { ReleaseManifest } from '../../contracts/release.js'
import type { ReleaseQuery, ReleaseRepository } from '../../contracts/store.js'
import { releaseFromRow, releaseRow } from './rows.js'
import type { Database } from './schema.js'

/** The releases repository over any Kysely dialect (SQLite, Postgres). */
export class SqlReleaseRepository implements ReleaseRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async save(manifest: ReleaseManifest): Promise<'created' | 'exists'> {
    const result = await this.db
      .insertInto('releases')
      .values(releaseRow(manifest))
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst()
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n ? 'created' : 'exists'
  }

  async get(id: string): Promise<ReleaseManifest | undefined> {
    const row = await this.db
      .selectFrom('releases')
      .select('manifest')
      .where('id', '=', id)
      .executeTakeFirst()
    return row === undefined ? undefined : releaseFromRow(row)
  }

  async resolveId(ref: string): Promise<string | undefined> {
    const newest = this.db
      .selectFrom('releases')
      .select('id')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
    if (ref === 'latest') return (await newest.executeTakeFirst())?.id
    const exact = await this.db
      .selectFrom('releases')
      .select('id')
      .where('id', '=', ref)
      .executeTakeFirst()
    if (exact !== undefined) return ref
    const named = await newest.where('name', '=', ref).executeTakeFirst()
    if (named !== undefined) return named.id
    const rows = await this.db
      .selectFrom('releases')
      .select('id')
      .where('id', '>=', ref)
      .where('id', '<', `${ref}\uffff`)
      .limit(2)
      .execute()
    return rows.length === 1 ? rows[0]?.id : undefined
  }

  async list(query: ReleaseQuery = {}): Promise<ReleaseManifest[]> {
    const rows = await this.db
      .selectFrom('releases')
      .select('manifest')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit ?? 50)
      .execute()
    return rows.map(releaseFromRow)
  }
}
