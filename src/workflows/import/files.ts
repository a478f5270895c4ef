import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import picomatch from 'picomatch'
import { parse as parseCsv } from 'csv-parse/sync'
import { parseConfigSource } from '../../config/json-source.js'
import type { DocPath, PromptfooDocument, PromptfooFiles } from '../../core/import/index.js'

/** How the mapping reads the promptfoo project under `root` (paths relative to it). */
export function projectFiles(root: string): PromptfooFiles {
  return {
    text: (path) => readText(resolve(root, path)),
    document: (path) => readDocument(root, path),
    glob: (pattern) => glob(root, pattern),
  }
}

function readText(path: string): string | undefined {
  try {
    return statSync(path).isFile() ? readFileSync(path, 'utf8').replace(/^\ufeff/, '') : undefined
  } catch {
    return undefined
  }
}

/** A promptfoo file parsed with its lines: YAML, JSON, JSONL or CSV (rows as records). */
export function readDocument(root: string, path: string): PromptfooDocument | { problem: string } {
  const text = readText(resolve(root, path))
  if (text === undefined) return { problem: `cannot read ${path}` }
  if (/\.jsonl$/i.test(path)) return jsonl(path, text)
  if (/\.csv$/i.test(path)) return csv(path, text)
  const { source, issues } = parseConfigSource(path, text)
  if (source === undefined) {
    const first = issues[0]
    return { problem: `${path}:${first?.line ?? 1}: ${first?.message ?? 'cannot be parsed'}` }
  }
  return {
    file: path,
    value: source.value,
    line: (at: DocPath) => {
      const where = source.locate(at)
      return 'line' in where ? where.line : 1
    },
  }
}

function jsonl(path: string, text: string): PromptfooDocument | { problem: string } {
  const values: unknown[] = []
  const lines: number[] = []
  const rows = text.split('\n')
  for (const [i, row] of rows.entries()) {
    if (row.trim() === '') continue
    try {
      values.push(JSON.parse(row))
      lines.push(i + 1)
    } catch (error) {
      return { problem: `${path}:${i + 1}: not valid JSON: ${(error as Error).message}` }
    }
  }
  return rowsDocument(path, values, lines)
}

function csv(path: string, text: string): PromptfooDocument | { problem: string } {
  try {
    const rows: { record: Record<string, string>; info: { lines: number } }[] = parseCsv(text, {
      columns: true,
      info: true,
      skip_empty_lines: true,
      bom: true,
    })
    return rowsDocument(
      path,
      rows.map((r) => r.record),
      rows.map((r) => r.info.lines),
    )
  } catch (error) {
    return { problem: `${path}: invalid CSV: ${(error as Error).message}` }
  }
}

/** A list of records, each at its own line: any path inside record i is at its line. */
function rowsDocument(path: string, values: unknown[], lines: number[]): PromptfooDocument {
  return {
    file: path,
    value: values,
    line: (at) => (typeof at[0] === 'number' ? (lines[at[0]] ?? 1) : 1),
  }
}

const GLOB = /[*?[\]{}]/

/** The files under `root` matching `pattern`, sorted, as relative POSIX paths. */
function glob(root: string, pattern: string): string[] {
  if (!GLOB.test(pattern)) return existsSync(resolve(root, pattern)) ? [pattern] : []
  const parts = pattern.split('/')
  const fixed = parts
    .slice(
      0,
      parts.findIndex((p) => GLOB.test(p)),
    )
    .join('/')
  const base = resolve(root, fixed)
  if (!existsSync(base)) return []
  const match = picomatch(pattern)
  const rel = (abs: string) => relative(root, abs).split(sep).join('/')
  return walk(base)
    .map(rel)
    .filter((p) => match(p))
    .sort()
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return []
    const path = join(dir, entry.name)
    return entry.isDirectory() ? walk(path) : [path]
  })
}
