import { describe, expect, it } from 'vitest'
import type { CassetteMiss } from '../../../src/cassettes/types.js'
import { createRunGuard } from '../../../src/workflows/eval/guard.js'

function miss(key: string, ordinal: number, question: string): CassetteMiss {
  return {
    request: {
      method: 'POST',
      host: 'api.anthropic.com',
      path: '/v1/messages',
      headers: {},
      body: { model: 'claude', q: question },
    },
    key,
    ordinal,
    nearest: {
      file: 'cassettes/anthropic.jsonl',
      differences: [{ path: 'body.q', recorded: '"old"', requested: `"${question}"` }],
    },
  }
}

describe('createRunGuard', () => {
  it('describes a request missed once per repeat once, saying how many times', () => {
    const guard = createRunGuard(new AbortController())
    for (const ordinal of [0, 1, 2]) guard.onMiss(miss('aaaa', ordinal, 'new'))
    guard.onMiss(miss('bbbb', 0, 'other'))
    const message = guard.error()?.message ?? ''
    expect(message).toContain('replay found no recording for 2 requests (4 calls)')
    expect(message.match(/no recording for POST/g)).toHaveLength(2)
    expect(message).toContain('3 times')
    expect(message.match(/requested "new"/g)).toHaveLength(1)
  })

  it('stops the run on the first miss', () => {
    const stop = new AbortController()
    createRunGuard(stop).onMiss(miss('aaaa', 0, 'new'))
    expect(stop.signal.aborted).toBe(true)
  })
})
