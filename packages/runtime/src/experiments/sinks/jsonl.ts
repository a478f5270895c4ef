/**
 * `jsonlSink`: events appended to a file, one JSON object per line, exactly the event objects
 * (docs/runtime.md#the-jsonl-file). Batched: each batch is one `write` of whole lines, in order,
 * from this process's single writer, so lines never interleave or break within the process. A
 * crash loses at most the events not yet flushed; a crash in the middle of a write can leave a
 * last line without its newline, which the next process to open the file ends before appending.
 */
import { type FileHandle, mkdir, open } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { ExperimentEvent } from '../events.js'
import { type BatchingOptions, type BatchingSink, createBatchingSink } from './batching.js'

/** Options of {@link jsonlSink}: batching (default: every 1,000 ms, 500 events a batch). */
export type JsonlSinkOptions = BatchingOptions

/**
 * A sink appending to `path` (its directory is created). Give each process its own file: two
 * processes appending to one file can interleave their batches.
 */
export function jsonlSink(path: string, options: JsonlSinkOptions = {}): BatchingSink {
  let prepared = false
  const append = async (batch: readonly ExperimentEvent[]): Promise<void> => {
    if (!prepared) await mkdir(dirname(path), { recursive: true })
    const file = await open(path, 'a+')
    try {
      const prefix = prepared ? '' : await lineBreakNeeded(file)
      prepared = true
      // appendFile writes the whole text, looping over partial writes.
      await file.appendFile(prefix + batch.map((event) => `${JSON.stringify(event)}\n`).join(''))
    } finally {
      await file.close()
    }
  }
  return createBatchingSink(
    `jsonl sink ${path}`,
    (batch) =>
      append(batch).then(
        () => ({ kind: 'sent' }),
        (error: unknown) => ({ kind: 'retry', problem: `cannot append: ${String(error)}` }),
      ),
    options,
  )
}

/** `'\n'` when the file ends in a partial line (a crash mid-write), so ours starts on its own. */
async function lineBreakNeeded(file: FileHandle): Promise<string> {
  const { size } = await file.stat()
  if (size === 0) return ''
  const last = Buffer.alloc(1)
  await file.read(last, 0, 1, size - 1)
  return last[0] === 0x0a ? '' : '\n'
}
