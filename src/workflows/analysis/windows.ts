/**
 * The intervals an analysis covers, read from the metric source. A source that can look back
 * (Prometheus: it has `readSeries`) is read interval by interval from the query's start, each
 * interval read once and kept; a source that only knows the present (the endpoint) is read once
 * per call, each call adding the traffic since the pair's previous call (the first primes).
 */
import type { MetricSource, MetricWindow, TrafficWindow } from '../../contracts/metrics.js'
import type { CanaryWindow } from '../../core/rollout/canary.js'
import { readPair } from '../../metric-sources/index.js'
import type { Span } from './answer.js'
import type { AnalysisQuery } from './query.js'

/** The intervals of one call, oldest first, and the span they cover. */
export interface Windows extends Span {
  readonly windows: readonly CanaryWindow[]
}

/** Reads the intervals of a query at `nowMs`; rejects when the source cannot be read. */
export type WindowReader = (
  query: AnalysisQuery,
  nowMs: number,
  signal: AbortSignal,
) => Promise<Windows>

/** Pairs remembered at most (their first call, or their windows); the oldest is forgotten. */
const MAX_PAIRS = 256
/** Intervals of one release kept from a looking-back source. */
const MAX_CACHED = 20_000
/** An interval that ended this recently may still be missing its last scrape: not kept. */
const SETTLE_MS = 30_000

/**
 * The reader for the sources `open` makes: one shared source when it can look back, else one
 * source per pair (an endpoint source's deltas belong to the pair that asked).
 */
export function windowReader(open: () => MetricSource): WindowReader {
  const probe = open()
  return probe.readSeries === undefined ? presentReader(open) : lookBackReader(probe)
}

function lookBackReader(source: MetricSource): WindowReader {
  const firstCall = new Bounded<number>(MAX_PAIRS)
  const cache = new Bounded<Promise<TrafficWindow>>(MAX_CACHED)
  const read = (release: string, window: MetricWindow, nowMs: number, signal: AbortSignal) => {
    const key = `${release}\n${window.startMs}\n${window.endMs}`
    const cached = cache.get(key)
    if (cached !== undefined) return cached
    const traffic = readOf(source)({ release }, window, signal)
    if (window.endMs > nowMs - SETTLE_MS) return traffic
    // A failed read is not kept: the next call tries again.
    traffic.catch(() => cache.delete(key))
    cache.set(key, traffic)
    return traffic
  }
  return async (query, nowMs, signal) => {
    const pair = `${query.canary}\n${query.stable}`
    const first = firstCall.get(pair) ?? nowMs
    firstCall.set(pair, first)
    // Without `since`, from one interval before the pair's first call: it has one already.
    const startMs = query.startMs ?? first - query.intervalMs
    const count = Math.floor((nowMs - startMs) / query.intervalMs)
    const windows: CanaryWindow[] = []
    for (let k = 0; k < count; k++) {
      const from = startMs + k * query.intervalMs
      const window = { startMs: from, endMs: from + query.intervalMs }
      const [canary, stable] = await Promise.all([
        read(query.canary, window, nowMs, signal),
        read(query.stable, window, nowMs, signal),
      ])
      windows.push({ canary, stable })
    }
    const endMs = count === 0 ? null : startMs + count * query.intervalMs
    return { windows, intervals: count, startMs: count === 0 ? null : startMs, endMs }
  }
}

function presentReader(open: () => MetricSource): WindowReader {
  interface Pair {
    readonly source: MetricSource
    readonly windows: CanaryWindow[]
    startMs: number | null
    lastMs: number
    turn: Promise<unknown>
  }
  const pairs = new Bounded<Pair>(MAX_PAIRS)
  return (query, nowMs, signal) => {
    const key = `${query.canary}\n${query.stable}`
    const pair = pairs.get(key) ?? {
      source: open(),
      windows: [],
      startMs: null,
      lastMs: nowMs,
      turn: Promise.resolve(),
    }
    pairs.set(key, pair)
    // One call of a pair at a time: each takes the delta since the one before.
    const next = pair.turn.then(async () => {
      const window = { startMs: pair.lastMs, endMs: nowMs }
      const both = await readPair(pair.source, query, window, signal)
      if (pair.startMs === null) pair.startMs = nowMs
      else pair.windows.push(both)
      pair.lastMs = nowMs
      const intervals = pair.windows.length
      return {
        windows: [...pair.windows],
        intervals,
        startMs: intervals === 0 ? null : pair.startMs,
        endMs: intervals === 0 ? null : nowMs,
      }
    })
    pair.turn = next.catch(() => undefined)
    return next
  }
}

function readOf(source: MetricSource): NonNullable<MetricSource['readWindow']> {
  if (source.readWindow === undefined) {
    throw new TypeError(`the ${source.type} metric source has no readWindow`)
  }
  return (selector, window, signal) => source.readWindow!(selector, window, signal)
}

/** A map that forgets its oldest entry past `limit`. */
class Bounded<V> extends Map<string, V> {
  constructor(private readonly limit: number) {
    super()
  }
  override set(key: string, value: V): this {
    this.delete(key)
    super.set(key, value)
    if (this.size > this.limit) this.delete(this.keys().next().value as string)
    return this
  }
}
