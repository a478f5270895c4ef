import type { SampleResult } from '../../contracts/results.js'
import type { RunRepository } from '../../contracts/store.js'

/** Options of {@link createBatchWriter}. */
export interface BatchWriterOptions {
  /** Samples buffered before a write. */
  readonly batchSize?: number
  /** Longest a finished sample waits in the buffer. */
  readonly maxDelayMs?: number
  /** Writes wait for this (the run's own record); if it fails, so does every write. */
  readonly after?: Promise<void>
}

/** Streams samples to the store in batches: one transaction per batch, never per sample. */
export interface BatchWriter {
  add(sample: SampleResult): void
  /** Writes what is buffered and waits for every write; rethrows the first write failure. */
  flush(): Promise<void>
}

/**
 * Buffers samples and writes them in batches of `batchSize`, or after `maxDelayMs`, whichever
 * comes first. Writes are serialized; a failed write is remembered and rethrown by `flush`.
 */
export function createBatchWriter(
  runs: RunRepository,
  runId: string,
  options: BatchWriterOptions = {},
): BatchWriter {
  const batchSize = options.batchSize ?? 500
  const maxDelayMs = options.maxDelayMs ?? 1000
  let buffer: SampleResult[] = []
  let failure: { error: unknown } | undefined
  let chain = (options.after ?? Promise.resolve()).catch((error: unknown) => {
    failure = { error }
  })
  let timer: NodeJS.Timeout | undefined

  const write = (): void => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    if (buffer.length === 0) return
    const batch = buffer
    buffer = []
    chain = chain.then(async () => {
      if (failure !== undefined) return
      try {
        await runs.appendSamples(runId, batch)
      } catch (error) {
        failure = { error }
      }
    })
  }

  return {
    add(sample) {
      buffer.push(sample)
      if (buffer.length >= batchSize) write()
      else timer ??= setTimeout(write, maxDelayMs)
    },
    async flush() {
      write()
      await chain
      if (failure !== undefined) throw failure.error
    },
  }
}
