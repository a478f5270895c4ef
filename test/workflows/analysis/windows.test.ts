/**
 * Which intervals the analysis endpoint reads: from a source that can look back, each interval
 * from the query's start (or one interval before the pair's first call), each settled interval
 * read once; from a source that cannot, one delta per call after the first.
 */
import { describe, expect, it } from 'vitest'
import type { MetricSource, MetricWindow, TrafficWindow } from '../../../src/contracts/metrics.js'
import { windowReader } from '../../../src/workflows/analysis/windows.js'

const signal = new AbortController().signal
const MINUTE = 60_000

/** A source answering each read with the window's start as its request count; logs the reads. */
function recorder(lookBack: boolean): { source: MetricSource; reads: string[] } {
  const reads: string[] = []
  const readWindow = (s: { release?: string }, w: MetricWindow): Promise<TrafficWindow> => {
    reads.push(`${s.release} ${w.startMs}-${w.endMs}`)
    return Promise.resolve({ requests: w.startMs / MINUTE, errors: 0 })
  }
  const source: MetricSource = {
    type: 'fake',
    read: () => Promise.reject(new Error('unused')),
    readWindow,
    ...(lookBack ? { readSeries: () => Promise.resolve([]) } : {}),
  }
  return { source, reads }
}

const query = (startMs: number | null) => ({
  canary: 'c',
  stable: 's',
  startMs,
  intervalMs: MINUTE,
})

describe('windowReader', () => {
  it('reads whole intervals from since, and settled ones only once', async () => {
    const { source, reads } = recorder(true)
    const read = windowReader(() => source)
    const first = await read(query(10 * MINUTE), 13.2 * MINUTE, signal)
    expect(first.windows.map((w) => w.canary.requests)).toEqual([10, 11, 12])
    expect(first).toMatchObject({ intervals: 3, startMs: 10 * MINUTE, endMs: 13 * MINUTE })
    expect(reads).toHaveLength(6)
    reads.length = 0
    const second = await read(query(10 * MINUTE), 14.5 * MINUTE, signal)
    expect(second.intervals).toBe(4)
    // 10–11 and 11–12 had settled by the first call (ended 30 s or more before it): kept.
    expect(reads.sort()).toEqual([
      `c ${12 * MINUTE}-${13 * MINUTE}`,
      `c ${13 * MINUTE}-${14 * MINUTE}`,
      `s ${12 * MINUTE}-${13 * MINUTE}`,
      `s ${13 * MINUTE}-${14 * MINUTE}`,
    ])
  })

  it('without since, starts one interval before the pair first asked', async () => {
    const { source } = recorder(true)
    const read = windowReader(() => source)
    expect((await read(query(null), 100 * MINUTE, signal)).intervals).toBe(1)
    const later = await read(query(null), 103 * MINUTE, signal)
    expect(later).toMatchObject({ intervals: 4, startMs: 99 * MINUTE })
  })

  it('from a source that only knows the present, one delta per call after the first', async () => {
    const made: ReturnType<typeof recorder>[] = []
    const read = windowReader(() => {
      made.push(recorder(false))
      return made.at(-1)!.source
    })
    expect((await read(query(null), 5 * MINUTE, signal)).intervals).toBe(0)
    const next = await read(query(null), 6 * MINUTE, signal)
    expect(next).toMatchObject({ intervals: 1, startMs: 5 * MINUTE, endMs: 6 * MINUTE })
    // Another pair has its own source, so its own deltas.
    await read({ ...query(null), canary: 'd' }, 6 * MINUTE, signal)
    expect(made).toHaveLength(3)
  })
})
