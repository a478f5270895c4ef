import { cpSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import type { ResultsDocument } from '../../../src/contracts/results.js'
import { silentLogger } from '../../../src/logger.js'
import { openStore } from '../../../src/stores/index.js'
import { evaluate } from '../../../src/workflows/eval/index.js'
import { importPromptfoo, type ImportResult } from '../../../src/workflows/import/index.js'
import type { FakeServer } from '../../fakes/server.js'
import { tempProject } from '../../helpers/project.js'

/** The promptfoo fixture configs. */
export const FIXTURES = join(import.meta.dirname, '../../fixtures/promptfoo')

export const servers: FakeServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

/** A copy of fixture `name` in a temp dir, imported there (as a user would, in place). */
export async function imported(name: string): Promise<{ dir: string; report: ImportResult }> {
  const dir = tempProject({})
  cpSync(join(FIXTURES, name), dir, { recursive: true })
  const report = await importPromptfoo({ cwd: dir, env: {} })
  return { dir, report }
}

/** Runs the imported project's eval in memory; `overrides`: `--provider` flags. */
export async function runImported(
  dir: string,
  env: Record<string, string>,
  overrides: string[] = [],
): Promise<ResultsDocument> {
  const store = await openStore('memory:', dir)
  try {
    const { results } = await evaluate({
      cwd: dir,
      env,
      logger: silentLogger,
      store,
      providerOverrides: overrides,
    })
    return results
  } finally {
    await store.close()
  }
}

/** Pass/fail per case, keyed `suite › description (first var values)`. */
export function outcomes(results: ResultsDocument): Record<string, boolean> {
  const out: Record<string, boolean> = {}
  for (const suite of results.suites) {
    for (const c of suite.cases) {
      const label = c.description ?? JSON.stringify(c.vars)
      const extra = Object.values(c.vars).filter((v) => typeof v === 'string' && v.endsWith('?'))
      const key = `${suite.name} › ${label}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}`
      out[key] = c.pass
    }
  }
  return out
}

/** The text of every message of a chat or Responses request body, joined. */
export function promptText(body: Record<string, unknown>): string {
  const parts: unknown[] = []
  if (Array.isArray(body.messages))
    parts.push(...(body.messages as { content: unknown }[]).map((m) => m.content))
  if (Array.isArray(body.input))
    parts.push(...(body.input as { content: unknown }[]).map((m) => m.content))
  else if (body.input !== undefined) parts.push(body.input)
  if (body.system !== undefined) parts.push(body.system)
  return parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join('\n')
}
