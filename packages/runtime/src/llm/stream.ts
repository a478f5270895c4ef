import type { Usage } from '../contracts/usage.js'

/** Reads usage (and an in-stream failure) off the events of one streamed call. */
export interface StreamFolder {
  /** Sees each event, in order. */
  add(event: unknown): void
  /** The usage the events reported, `null` when none did. */
  usage(): Usage | null
  /** A failure the events reported without the SDK throwing it, if any. */
  failure(): unknown
}

/** Called once when a stream ends: drained, abandoned (`break`), or failed. */
export type StreamEnd = (usage: Usage | null, error?: unknown) => void

/** Called at each event the stream yields (the first one is the call's first chunk). */
export type StreamChunk = () => void

/**
 * Makes `stream`'s async iteration report to `end` (and each event to `chunk`), in place: the
 * SDK's own stream object (its class, `controller`, `tee()`, `toReadableStream()`) is what the
 * caller gets, only its `Symbol.asyncIterator` is replaced on the instance. A stream nobody
 * reads is never recorded.
 */
export function observeStream(
  stream: object,
  folder: StreamFolder,
  end: StreamEnd,
  chunk: StreamChunk = () => undefined,
): void {
  const iterate = (stream as AsyncIterable<unknown>)[Symbol.asyncIterator]
  Object.defineProperty(stream, Symbol.asyncIterator, {
    configurable: true,
    writable: true,
    value: function observed(this: unknown): AsyncIterator<unknown> {
      return observedIterator(iterate.call(this ?? stream), folder, end, chunk)
    },
  })
}

function observedIterator(
  inner: AsyncIterator<unknown>,
  folder: StreamFolder,
  end: StreamEnd,
  chunk: StreamChunk,
): AsyncIterableIterator<unknown> {
  let ended = false
  const finish = (error?: unknown): void => {
    if (ended) return
    ended = true
    const failure = error ?? folder.failure()
    if (failure === undefined) end(folder.usage())
    else end(folder.usage(), failure)
  }
  return {
    async next() {
      try {
        const step = await inner.next()
        if (step.done === true) finish()
        else {
          chunk()
          folder.add(step.value)
        }
        return step
      } catch (error) {
        finish(error)
        throw error
      }
    },
    async return(value?: unknown) {
      finish()
      return inner.return === undefined ? { done: true, value } : inner.return(value)
    },
    async throw(error?: unknown) {
      finish(error)
      if (inner.throw === undefined) throw error
      return inner.throw(error)
    },
    [Symbol.asyncIterator]() {
      return this
    },
  }
}
