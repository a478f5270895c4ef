import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Logger } from '../../contracts/logger.js'
import type { ResultsDocument } from '../../contracts/results.js'
import { mergeShards, type NamedResults } from '../../core/eval/merge.js'
import { usageError } from '../../errors.js'
import { renderJson } from '../../reporters/json.js'
import { writeFileAtomic } from '../../utils/files.js'
import { createRedactor, type Redactor } from '../../utils/redact.js'

/** Options of {@link mergeResultsFiles}. */
export interface MergeFilesOptions {
  readonly cwd: string
  /** The shards' results files (`shipgate eval --shard i/n -o FILE`), relative to `cwd`. */
  readonly files: readonly string[]
  /** Where the merged results file goes; `-` writes nothing (the caller prints the results). */
  readonly output: string
  /** Merge even when some shards are missing (each is a warning). */
  readonly allowMissing?: boolean
  /** Warnings (missing shards, different versions or commits) go here. */
  readonly logger: Logger
  /**
   * Redacts the shards' documents as they are read (they may come from other machines or an
   * older shipgate); default: one that knows secret shapes.
   */
  readonly redactor?: Redactor
}

/** The merged results and whether every suite passed, for the caller's exit code. */
export interface MergeFilesResult {
  readonly outcome: 'passed' | 'failed'
  readonly results: ResultsDocument
}

/**
 * `shipgate merge` as a library call: reads the shards' results files, merges them (see
 * {@link mergeShards}) and writes the merged document atomically. A file that is missing, not
 * JSON or not a results document, and shards that do not belong together, are usage errors.
 */
export async function mergeResultsFiles(options: MergeFilesOptions): Promise<MergeFilesResult> {
  const redactor = options.redactor ?? createRedactor()
  const inputs = await Promise.all(
    options.files.map(async (f) => {
      const { name, results } = await readResults(options.cwd, f)
      return { name, results: redactor.json(results) }
    }),
  )
  const merged = mergeShards(inputs, { allowMissing: options.allowMissing === true })
  if (!merged.ok) throw usageError(merged.problem.message, merged.problem.hint)
  for (const warning of merged.warnings) options.logger.warn(warning)
  if (options.output !== '-') {
    await writeFileAtomic(resolve(options.cwd, options.output), renderJson(merged.results))
  }
  return { outcome: merged.results.summary.pass ? 'passed' : 'failed', results: merged.results }
}

async function readResults(cwd: string, file: string): Promise<NamedResults> {
  let text: string
  try {
    text = await readFile(resolve(cwd, file), 'utf8')
  } catch (cause) {
    throw usageError(
      `cannot read ${file}: ${(cause as Error).message}`,
      'name the results files the shards wrote with -o',
    )
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (cause) {
    throw usageError(`${file} is not JSON: ${(cause as Error).message}`, NOT_RESULTS)
  }
  if (!isResultsDocument(value)) {
    throw usageError(`${file} is not a shipgate results file`, NOT_RESULTS)
  }
  return { name: file, results: value }
}

const NOT_RESULTS = 'merge reads the .json results files of `shipgate eval --shard i/n -o FILE`'

/** The shape merging relies on; the rest is trusted as shipgate wrote it. */
function isResultsDocument(value: unknown): value is ResultsDocument {
  const doc = value as Partial<Record<keyof ResultsDocument, unknown>> | null
  if (typeof doc !== 'object' || doc === null || doc.schemaVersion !== 1) return false
  const run = doc.run as Partial<Record<string, unknown>> | null
  return (
    typeof run === 'object' &&
    run !== null &&
    typeof run.id === 'string' &&
    typeof run.startedAt === 'string' &&
    typeof run.configHash === 'string' &&
    Array.isArray(doc.suites) &&
    doc.suites.every(
      (s: unknown) =>
        typeof s === 'object' && s !== null && Array.isArray((s as { cases?: unknown }).cases),
    )
  )
}
