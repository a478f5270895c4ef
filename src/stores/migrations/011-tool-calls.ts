import type { Kysely, Migration } from 'kysely'

/**
 * The tool calls of a sample's answer and the trajectory of a multi-step run (JSON,
 * `ToolCall[]`); null for a sample without them and for every row stored before.
 */
export const toolCalls: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('case_results').addColumn('tool_calls', 'text').execute()
    await db.schema.alterTable('case_results').addColumn('trajectory', 'text').execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('case_results').dropColumn('trajectory').execute()
    await db.schema.alterTable('case_results').dropColumn('tool_calls').execute()
  },
}
