import type { parse as CsvParse } from 'csv-parse/sync'
import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import * as z from '../utils/zod.js'
import type { ConfigIssue } from '../errors.js'
import { assertionTypeNames } from '../assertions/index.js'
import { caseSchema, type CaseConfig } from './schema.js'
import { toConfigIssues } from './issues.js'
import { parseConfigSource } from './json-source.js'
import { type Location, type PathKey, type Position, type Source } from './source.js'

/** A validated case and where it was written. */
export interface LocatedCase {
  readonly config: CaseConfig
  readonly file: string
  readonly position: Location
  /** Where the case's `index`-th assertion is. */
  readonly assertionPosition: (index: number) => Location
}

const casesSchema = z.array(caseSchema)

/**
 * Reads a case file: `.yaml`/`.yml` or `.json` (a list of cases), `.jsonl` (a case per line) or `.csv`
 * (a column per var, plus promptfoo's `__expected`, `__description`, `__id`, `__tags`,
 * `__threshold` columns). Problems come back as issues, every one with its position.
 */
export async function loadCaseFile(
  path: string,
  displayPath: string,
): Promise<{ cases: LocatedCase[]; issues: ConfigIssue[] }> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    return {
      cases: [],
      issues: [
        {
          file: displayPath,
          message: `cannot read case file ${displayPath}`,
          hint: 'check the path; it is relative to shipgate.yaml',
        },
      ],
    }
  }
  const ext = extname(path).toLowerCase()
  if (ext === '.yaml' || ext === '.yml' || ext === '.json') {
    const { source, issues } = parseConfigSource(displayPath, text)
    return source === undefined ? { cases: [], issues } : validate(source, [])
  }
  if (ext === '.jsonl') return validate(...jsonlSource(displayPath, text))
  if (ext === '.csv') {
    const { parse } = await import('csv-parse/sync')
    return validate(...csvSource(displayPath, text, parse))
  }
  return {
    cases: [],
    issues: [
      {
        file: displayPath,
        message: `unsupported case file type "${ext}"`,
        hint: 'use .yaml, .json, .jsonl or .csv',
      },
    ],
  }
}

/** Validates inline cases of a suite at `path` in the config source. */
export function validateInlineCases(
  source: Source,
  path: readonly PathKey[],
): { cases: LocatedCase[]; issues: ConfigIssue[] } {
  return validate(source, path)
}

function validate(
  source: Source,
  path: readonly PathKey[],
  extra: ConfigIssue[] = [],
): { cases: LocatedCase[]; issues: ConfigIssue[] } {
  const value = path.reduce<unknown>(
    (node, key) => (node as Record<PathKey, unknown>)[key],
    source.value,
  )
  const parsed = casesSchema.safeParse(value ?? [])
  if (!parsed.success) {
    return {
      cases: [],
      issues: [...extra, ...toConfigIssues(parsed.error.issues, source, casesSchema, path)],
    }
  }
  const cases = parsed.data.map((config, index) => ({
    config,
    file: source.file,
    position: source.locate([...path, index]),
    assertionPosition: (j: number) => source.locate([...path, index, 'assert', j]),
  }))
  return { cases, issues: extra }
}

function jsonlSource(file: string, text: string): [Source, PathKey[], ConfigIssue[]] {
  const records: unknown[] = []
  const lines: number[] = []
  const issues: ConfigIssue[] = []
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return
    try {
      records.push(JSON.parse(line))
      lines.push(i + 1)
    } catch (error) {
      issues.push({
        file,
        line: i + 1,
        column: 1,
        message: `not valid JSON: ${(error as Error).message}`,
      })
    }
  })
  return [lineSource(file, records, lines), [], issues]
}

function csvSource(
  file: string,
  text: string,
  parseCsv: typeof CsvParse,
): [Source, PathKey[], ConfigIssue[]] {
  let rows: { record: Record<string, string>; info: { lines: number } }[]
  try {
    rows = parseCsv(text, {
      columns: true,
      info: true,
      skip_empty_lines: true,
      bom: true,
      trim: false,
    })
  } catch (error) {
    const line = (error as { lines?: number }).lines
    return [
      lineSource(file, [], []),
      [],
      [{ file, line, message: `invalid CSV: ${(error as Error).message}` }],
    ]
  }
  const records = rows.map((row) => csvCase(row.record))
  return [
    lineSource(
      file,
      records,
      rows.map((r) => r.info.lines),
    ),
    [],
    [],
  ]
}

const EXPECTED = /^__expected\d*$/

/** A CSV row as a case: columns are vars, except promptfoo's `__` columns. */
function csvCase(row: Record<string, string>): Record<string, unknown> {
  const kase: Record<string, unknown> = { vars: {}, assert: [] as unknown[] }
  for (const [column, cell] of Object.entries(row)) {
    // An empty special cell means "not given", as in promptfoo.
    if (column.startsWith('__') && cell.trim() === '') continue
    if (EXPECTED.test(column)) {
      ;(kase.assert as unknown[]).push(expectation(cell))
    } else if (column === '__id') kase.id = cell
    else if (column === '__description') kase.description = cell
    else if (column === '__tags')
      kase.tags = cell
        .split(/[,;]/)
        .map((t) => t.trim())
        .filter(Boolean)
    else if (column === '__threshold') kase.threshold = Number(cell)
    else (kase.vars as Record<string, string>)[column] = cell
  }
  return kase
}

const KNOWN_TYPES = new Set(assertionTypeNames)

/** promptfoo's shorthand: `contains: text`, `is-json`, `not-icontains:x`; anything else is `equals`. */
function expectation(cell: string): Record<string, unknown> {
  const match = /^([a-z-]+)(?::\s?([\s\S]*))?$/.exec(cell.trim())
  if (match !== null && KNOWN_TYPES.has(match[1] as string)) {
    return match[2] === undefined ? { type: match[1] } : { type: match[1], value: match[2] }
  }
  return { type: 'equals', value: cell }
}

/** A source for record-per-line formats: every path inside record i points at its line. */
function lineSource(file: string, records: unknown[], lines: number[]): Source {
  const locate = (path: readonly PathKey[]): Position => {
    const index = typeof path[0] === 'number' ? path[0] : 0
    return { line: lines[index] ?? 1, column: 1 }
  }
  return { file, value: records, locate, locateKey: (path) => locate(path), interpolated: [] }
}
