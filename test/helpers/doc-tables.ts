import { readFileSync, writeFileSync } from 'node:fs'
import { relative } from 'node:path'
import { expect } from 'vitest'

/**
 * A simulation's table in the docs: the text between `<!-- sim:NAME -->` and
 * `<!-- /sim:NAME -->` in `doc` must be `lines`, so the docs show what the test computes; with
 * SHIPGATE_WRITE_TABLES=1 the table is written there instead.
 */
export function checkDocTable(doc: string, name: string, lines: readonly string[]): void {
  const table = lines.join('\n')
  console.log(`${name}\n${table}`)
  const text = readFileSync(doc, 'utf8')
  const open = `<!-- sim:${name} -->\n`
  const close = `\n<!-- /sim:${name} -->`
  const start = text.indexOf(open)
  const end = text.indexOf(close)
  if (process.env.SHIPGATE_WRITE_TABLES === '1' && start >= 0 && end > start) {
    writeFileSync(doc, text.slice(0, start + open.length) + table + text.slice(end))
    return
  }
  expect(start, `${relative(process.cwd(), doc)} has no ${open.trim()}`).toBeGreaterThanOrEqual(0)
  expect(text.slice(start + open.length, end)).toBe(table)
}
