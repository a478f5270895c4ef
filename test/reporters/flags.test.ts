import { describe, expect, it } from 'vitest'
import type { FlagChange, FlagDetail } from '../../src/contracts/flags.js'
import { renderFlag, renderFlagHistory, renderFlagList } from '../../src/reporters/flags.js'

const detail: FlagDetail = {
  file: 'flags.json',
  key: 'prompt',
  state: 'ENABLED',
  defaultVariant: 'v1',
  variants: { v1: 'v1', v2: 'v2' },
  targeting: 'rollout',
  rollout: { from: 'v1', to: 'v2', percent: 12.5 },
  definition: {
    state: 'ENABLED',
    defaultVariant: 'v1',
    variants: { v1: 'v1', v2: 'v2' },
    targeting: {
      fractional: [
        ['v2', 1250],
        ['v1', 8750],
      ],
    },
  },
}

describe('flags renderers', () => {
  it('show a rollout as from → to and its share, the default marked', () => {
    expect(renderFlagList({ file: 'flags.json', flags: [detail] })).toContain(
      'prompt  on     v1, v2    v1       v1 → v2 12.5% (rollout)',
    )
    const one = renderFlag(detail)
    expect(one).toContain('  * v1 = "v1"\n')
    expect(one).toContain('    v2 = "v2"\n')
    expect(one).toContain('targeting: {"fractional":[["v2",1250],["v1",8750]]}')
  })

  it('keep an untrusted reason and author on one line each in the history', () => {
    const change: FlagChange = {
      at: '2026-12-07T10:00:00.000Z',
      who: 'ada\u001b[31m',
      flag: 'prompt',
      action: 'ramp',
      summary: 'v2 0% → 10% (from v1)',
      before: null,
      after: null,
      reason: 'line one\nline two',
    }
    const text = renderFlagHistory([change])
    expect(text.trimEnd().split('\n')).toHaveLength(2)
    expect(text).not.toContain('\u001b')
    expect(text).toContain('2026-12-07 10:00:00')
    expect(renderFlagHistory([])).toBe('no recorded changes yet\n')
  })
})
