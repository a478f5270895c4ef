import { describe, expect, it } from 'vitest'
import type { ExperimentEvent } from '@shipgate/runtime/experiments'
import type { Store } from '../../src/contracts/store.js'
import { readAll as all } from '../helpers/history.js'

/** An event at minute `m` of 2026-12-01 (times sort as strings). */
export function event(
  id: string,
  m: number,
  overrides: Partial<ExperimentEvent> & Pick<ExperimentEvent, 'type'> = { type: 'exposure' },
): ExperimentEvent {
  const at = `2026-12-01T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00.000Z`
  const base = { v: 1 as const, id, experiment: 'prompt-v2', variant: 'v1', user: `u${id}`, at }
  if (overrides.type === 'outcome') return { ...base, name: 'task_success', value: 1, ...overrides }
  if (overrides.type === 'sample') return { ...base, input: 'q', output: 'a', ...overrides }
  return { ...base, ...overrides }
}

/** The ExperimentEventRepository contract; `getStore` returns the migrated store of the test. */
export function experimentEventsContract(getStore: () => Store): void {
  describe('experiment events', () => {
    it('round-trips every type and field, and skips ids already stored', async () => {
      const { experimentEvents } = getStore()
      const written = [
        event('a', 1),
        event('b', 2, { type: 'outcome', name: 'cost_usd', value: 0.0125, variant: 'v2' }),
        event('c', 3, { type: 'sample', input: 'why?\n"quoted"', output: 'ünïcode ✓' }),
      ]
      expect(await experimentEvents.append(written)).toEqual({ stored: 3, duplicates: 0 })
      expect(await experimentEvents.append([written[0]!, event('d', 4)])).toEqual({
        stored: 1,
        duplicates: 1,
      })
      expect(await all(experimentEvents.read('prompt-v2'))).toEqual([...written, event('d', 4)])
      expect(await all(experimentEvents.read('other'))).toEqual([])
    })

    it('reads oldest first by time then id, filtered by type and window', async () => {
      const { experimentEvents } = getStore()
      await experimentEvents.append([
        event('z', 5),
        event('y', 5, { type: 'outcome' }),
        event('x', 9),
        event('w', 1, { type: 'sample' }),
      ])
      const ids = async (q?: Parameters<Store['experimentEvents']['read']>[1]) =>
        (await all(experimentEvents.read('prompt-v2', q))).map((e) => e.id)
      expect(await ids()).toEqual(['w', 'y', 'z', 'x'])
      expect(await ids({ types: ['exposure'] })).toEqual(['z', 'x'])
      expect(await ids({ since: event('', 5).at })).toEqual(['y', 'z', 'x'])
      expect(await ids({ before: event('', 9).at, types: ['exposure', 'outcome'] })).toEqual([
        'y',
        'z',
      ])
    })

    it('reads past one page and summarizes each experiment', async () => {
      const { experimentEvents } = getStore()
      const many = Array.from({ length: 12_001 }, (_, i) =>
        event(
          `e${String(i).padStart(6, '0')}`,
          i % 600,
          i % 3 === 0 ? { type: 'outcome' } : undefined,
        ),
      )
      expect((await experimentEvents.append(many)).stored).toBe(12_001)
      await experimentEvents.append([event('other', 7, { type: 'sample', experiment: 'b-test' })])
      const read = await all(experimentEvents.read('prompt-v2'))
      expect(read).toHaveLength(12_001)
      expect(new Set(read.map((e) => e.id)).size).toBe(12_001)
      expect(await experimentEvents.experiments()).toEqual([
        {
          experiment: 'b-test',
          exposures: 0,
          outcomes: 0,
          samples: 1,
          first: event('', 7).at,
          last: event('', 7).at,
        },
        {
          experiment: 'prompt-v2',
          exposures: 8_000,
          outcomes: 4_001,
          samples: 0,
          first: event('', 0).at,
          last: event('', 599).at,
        },
      ])
    })
  })
}
