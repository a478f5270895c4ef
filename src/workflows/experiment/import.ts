/**
 * `shipgate experiment import FILE.jsonl`: events a JSONL sink wrote, into the store. The file
 * is read twice, streaming: first every line is checked (errors at file:line, nothing stored
 * when any), then the events are appended in batches. Events already stored (same id) are
 * counted as duplicates, so importing a file again stores nothing new.
 */
import { createReadStream } from 'node:fs'
import { resolve } from 'node:path'
import { createInterface } from 'node:readline'
import type { ExperimentEvent } from '@shipgate/runtime/experiments'
import type { ExperimentImportReport } from '../../contracts/experiment.js'
import type { Logger } from '../../contracts/logger.js'
import { ConfigError, usageError, type ConfigIssue } from '../../errors.js'
import { errorMessage } from '../../utils/errors.js'
import { withConfigAndStore, type StoreChoice } from '../project/index.js'
import { parseEventLine } from './events.js'

/** Options of {@link importExperimentEvents}. */
export interface ImportEventsOptions extends StoreChoice {
  readonly logger: Logger
  /** Only this experiment's events; others are skipped and counted. */
  readonly experiment?: string
  /** Events per append (one transaction each); default 1000. */
  readonly batchSize?: number
}

/** Errors reported before giving up on a file. */
const MAX_ISSUES = 20

/** Imports the JSONL file `file` (relative to `cwd`); throws a ConfigError with its bad lines. */
export async function importExperimentEvents(
  file: string,
  options: ImportEventsOptions,
): Promise<ExperimentImportReport> {
  const path = resolve(options.cwd, file)
  const issues: ConfigIssue[] = []
  for await (const line of lines(path)) {
    if (line.event !== undefined) continue
    issues.push({ file, line: line.number, message: line.error, hint: HINT })
    if (issues.length >= MAX_ISSUES) break
  }
  if (issues.length > 0) throw new ConfigError(issues)
  return withConfigAndStore(options, async (_loaded, store) => {
    const counts = { events: 0, stored: 0, duplicates: 0, skipped: 0 }
    const experiments = new Set<string>()
    let batch: ExperimentEvent[] = []
    const flush = async () => {
      const result = await store.experimentEvents.append(batch)
      counts.stored += result.stored
      counts.duplicates += result.duplicates
      batch = []
    }
    for await (const { event } of lines(path)) {
      if (event === undefined) continue
      if (options.experiment !== undefined && event.experiment !== options.experiment) {
        counts.skipped++
        continue
      }
      counts.events++
      experiments.add(event.experiment)
      batch.push(event)
      if (batch.length >= (options.batchSize ?? 1000)) await flush()
    }
    if (batch.length > 0) await flush()
    options.logger.debug(`${file}: ${counts.stored} stored, ${counts.duplicates} already stored`)
    return { file, ...counts, experiments: [...experiments].sort() }
  })
}

const HINT =
  'each line is one event as the SDK writes it (docs/experiments.md, "Events"); fix or remove the line and import again'

/** The file's non-blank lines, each parsed: an event, or why it is not one. */
async function* lines(
  path: string,
): AsyncGenerator<{ number: number; event?: ExperimentEvent; error: string }> {
  const stream = createReadStream(path, { encoding: 'utf8' })
  const opened = new Promise<void>((ok, fail) => {
    stream.once('open', () => ok())
    stream.once('error', fail)
  })
  try {
    await opened
  } catch (error) {
    throw usageError(
      `cannot read ${path}: ${errorMessage(error)}`,
      'give the JSONL file a sink wrote',
    )
  }
  let number = 0
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    number++
    if (text.trim() === '') continue
    const parsed = parseEventLine(text)
    yield parsed.ok ? { number, event: parsed.event, error: '' } : { number, error: parsed.error }
  }
}
