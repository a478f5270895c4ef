import { describe, expect, it } from 'vitest'
import type { Clock } from '../../src/contracts/clock.js'
import type {
  ChatMessage,
  CompletionFailure,
  CompletionResult,
  CompletionSuccess,
  Provider,
} from '../../src/contracts/provider.js'
import { silentLogger } from '../../src/logger.js'
import { mockProvider } from '../../src/providers/mock/index.js'
import { mockOptions } from '../../src/providers/mock/schema.js'
import { seededRandom } from '../../src/utils/random.js'

/** A clock whose `sleep` advances virtual time and resolves at once; it records every wait. */
class FakeClock implements Clock {
  time = 1_000_000
  readonly sleeps: number[] = []
  /** Called inside `sleep`, e.g. to abort the call mid-wait. */
  onSleep: (() => void) | undefined

  now(): number {
    return this.time
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms)
    this.onSleep?.()
    if (signal?.aborted !== true) this.time += ms
    return Promise.resolve()
  }

  setTimer(): () => void {
    throw new Error('the mock provider waits with sleep, never with timers')
  }
}

function mock(options: Record<string, unknown> = {}, clock = new FakeClock()): Provider {
  const parsed = mockOptions.parse({ type: 'mock', ...options })
  return mockProvider.create(parsed, {
    name: 'fake',
    baseDir: '.',
    env: {},
    clock,
    logger: silentLogger,
    fetch: () => Promise.reject(new Error('the mock provider makes no HTTP calls')),
    offline: false,
  })
}

const user = (content: string): ChatMessage => ({ role: 'user', content })

function call(
  provider: Provider,
  messages: readonly ChatMessage[] | string = 'hello',
  signal: AbortSignal = new AbortController().signal,
): Promise<CompletionResult> {
  const list = typeof messages === 'string' ? [user(messages)] : messages
  return provider.complete({ messages: list, vars: {} }, { signal })
}

async function success(provider: Provider, messages?: readonly ChatMessage[] | string) {
  const result = await call(provider, messages)
  if (!result.ok) throw new Error(`expected success, got ${result.error.message}`)
  return result satisfies CompletionSuccess
}

async function failure(provider: Provider, messages?: readonly ChatMessage[] | string) {
  const result = await call(provider, messages)
  if (result.ok) throw new Error(`expected failure, got ${result.output}`)
  return result satisfies CompletionFailure
}

describe('mock provider: identity', () => {
  it('is named after its model, or its config name without one', () => {
    const named = mock({ model: 'tiny' })
    expect({ id: named.id, type: named.type, model: named.model }).toEqual({
      id: 'mock:tiny',
      type: 'mock',
      model: 'tiny',
    })
    const anonymous = mock()
    expect(anonymous.id).toBe('mock:fake')
    expect(anonymous.model).toBeUndefined()
  })

  it('reports its model and that the answer is not cached', async () => {
    const result = await success(mock({ model: 'tiny' }))
    expect(result.model).toBe('tiny')
    expect(result.cached).toBe(false)
  })
})

describe('mock provider: replies', () => {
  const scripted = {
    responses: [
      { match: 'capital of France', output: 'Paris' },
      { regex: '^Translate .+ to (French|German)', output: 'Bonjour' },
      { match: 'capital', output: 'some capital' },
      { match: 'as json', output: { city: 'Paris', rank: [1, 2] } },
    ],
    default: 'I do not know',
  }

  it('replies to a prompt containing a match substring', async () => {
    expect((await success(mock(scripted), 'What is the capital of France?')).output).toBe('Paris')
  })

  it('replies to a prompt matching a regex', async () => {
    expect((await success(mock(scripted), 'Translate hello to German')).output).toBe('Bonjour')
    expect((await success(mock(scripted), 'Please Translate hello to German')).output).toBe(
      'I do not know',
    )
  })

  it('takes the first reply that matches', async () => {
    expect((await success(mock(scripted), 'capital of France, capital')).output).toBe('Paris')
    expect((await success(mock(scripted), 'capital of Spain')).output).toBe('some capital')
  })

  it('matches against every message of the prompt, not only the last', async () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'Answer the capital of France question.' },
      user('go'),
    ]
    expect((await success(mock(scripted), messages)).output).toBe('Paris')
  })

  it('replies an object output as its JSON', async () => {
    const result = await success(mock(scripted), 'answer as json')
    expect(JSON.parse(result.output)).toEqual({ city: 'Paris', rank: [1, 2] })
    expect(result.output).toBe('{"city":"Paris","rank":[1,2]}')
  })

  it('gives the default reply when nothing matches', async () => {
    expect((await success(mock(scripted), 'unrelated')).output).toBe('I do not know')
  })

  it('gives an object or list default as JSON', async () => {
    expect((await success(mock({ default: { ok: true } }))).output).toBe('{"ok":true}')
    expect((await success(mock({ default: ['a', 1] }))).output).toBe('["a",1]')
  })

  it('echoes the last user message without a default', async () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'sys' },
      user('first'),
      { role: 'assistant', content: 'reply' },
      user('second'),
    ]
    expect((await success(mock(), messages)).output).toBe('second')
  })

  it('echoes the empty string when there is no user message', async () => {
    expect((await success(mock(), [{ role: 'system', content: 'sys' }])).output).toBe('')
  })
})

describe('mock provider: latency', () => {
  it('takes no time and does not sleep by default', async () => {
    const clock = new FakeClock()
    expect((await success(mock({}, clock))).latencyMs).toBe(0)
    expect(clock.sleeps).toEqual([])
  })

  it('waits a fixed latency on the clock and reports it', async () => {
    const clock = new FakeClock()
    const provider = mock({ latencyMs: 250 }, clock)
    expect((await success(provider)).latencyMs).toBe(250)
    expect((await success(provider)).latencyMs).toBe(250)
    expect(clock.sleeps).toEqual([250, 250])
    expect(clock.time).toBe(1_000_500)
  })

  it('lets a scripted reply override the latency', async () => {
    const clock = new FakeClock()
    const provider = mock(
      { latencyMs: 250, responses: [{ match: 'slow', output: 'x', latencyMs: 900 }] },
      clock,
    )
    expect((await success(provider, 'slow please')).latencyMs).toBe(900)
    expect((await success(provider, 'fast')).latencyMs).toBe(250)
  })

  it('draws a {min, max} latency uniformly from the seeded random stream', async () => {
    const clock = new FakeClock()
    const provider = mock({ latencyMs: { min: 100, max: 200 }, seed: 42 }, clock)
    const random = seededRandom(42)
    const expected = Array.from({ length: 20 }, () => 100 + random() * 100)
    const got: number[] = []
    for (let i = 0; i < 20; i++) got.push((await success(provider)).latencyMs)
    expect(got).toEqual(expected)
    expect(clock.sleeps).toEqual(expected)
    expect(got.every((ms) => ms >= 100 && ms < 200)).toBe(true)
    expect(new Set(got).size).toBe(20)
  })

  it('repeats the same latencies for the same seed', async () => {
    const run = async (seed: number) => {
      const provider = mock({ latencyMs: { min: 0, max: 1000 }, seed })
      const out: number[] = []
      for (let i = 0; i < 5; i++) out.push((await success(provider)).latencyMs)
      return out
    }
    expect(await run(3)).toEqual(await run(3))
    expect(await run(3)).not.toEqual(await run(4))
  })
})

describe('mock provider: usage', () => {
  it('estimates 4 characters a token over the joined prompt and the output', async () => {
    const messages: ChatMessage[] = [{ role: 'system', content: 'abcd' }, user('efghi')]
    // "abcd\n\nefghi" is 11 characters: 3 tokens; "efghi" echoed: 2 tokens.
    expect((await success(mock(), messages)).usage).toEqual({
      input: 3,
      output: 2,
      cacheRead: 0,
      cacheWrite: 0,
      reasoning: 0,
    })
    expect((await success(mock({ default: '' }), '')).usage).toMatchObject({ input: 0, output: 0 })
  })

  it('reports scripted counts, filling the optional ones with 0', async () => {
    const provider = mock({ usage: { input: 10, output: 20, cacheRead: 4 } })
    expect((await success(provider, 'a very long prompt indeed')).usage).toEqual({
      input: 10,
      output: 20,
      cacheRead: 4,
      cacheWrite: 0,
      reasoning: 0,
    })
  })

  it('lets a scripted reply override the usage', async () => {
    const provider = mock({
      usage: { input: 1, output: 1 },
      responses: [
        {
          match: 'think',
          output: 'ok',
          usage: { input: 5, output: 50, cacheWrite: 2, reasoning: 40 },
        },
      ],
    })
    expect((await success(provider, 'think hard')).usage).toEqual({
      input: 5,
      output: 50,
      cacheRead: 0,
      cacheWrite: 2,
      reasoning: 40,
    })
    expect((await success(provider, 'other')).usage).toMatchObject({ input: 1, output: 1 })
  })
})

describe('mock provider: failure injection', () => {
  it('fails exactly the Nth, 2Nth, ... calls with every: N', async () => {
    const provider = mock({ failures: [{ every: 3 }] })
    const outcomes: boolean[] = []
    for (let i = 0; i < 9; i++) outcomes.push((await call(provider)).ok)
    expect(outcomes).toEqual([true, true, false, true, true, false, true, true, false])
  })

  it('fails as unavailable (retryable) by default, naming the call', async () => {
    const provider = mock({ failures: [{ every: 2 }] })
    await success(provider)
    const result = await failure(provider)
    expect(result.error).toEqual({
      kind: 'unavailable',
      message: 'injected unavailable failure on call 2',
      retryable: true,
    })
  })

  it.each([
    ['rate_limited', true],
    ['unavailable', true],
    ['timeout', true],
    ['auth', false],
    ['bad_request', false],
    ['unknown', false],
  ] as const)('marks %s as retryable: %s', async (kind, retryable) => {
    const result = await failure(mock({ failures: [{ every: 1, kind }] }))
    expect(result.error.kind).toBe(kind)
    expect(result.error.retryable).toBe(retryable)
  })

  it('passes status, retryAfterMs and message through', async () => {
    const provider = mock({
      failures: [
        { every: 1, kind: 'rate_limited', status: 429, retryAfterMs: 1500, message: 'slow down' },
      ],
    })
    expect((await failure(provider)).error).toEqual({
      kind: 'rate_limited',
      message: 'slow down',
      retryable: true,
      retryAfterMs: 1500,
      status: 429,
    })
  })

  it('reports the latency waited before failing', async () => {
    const clock = new FakeClock()
    const result = await failure(mock({ latencyMs: 30, failures: [{ every: 1 }] }, clock))
    expect(result.latencyMs).toBe(30)
    expect(clock.sleeps).toEqual([30])
  })

  it('applies the first rule that hits', async () => {
    const provider = mock({
      failures: [
        { every: 2, kind: 'timeout' },
        { every: 3, kind: 'auth' },
      ],
    })
    const kinds: string[] = []
    for (let i = 0; i < 6; i++) {
      const result = await call(provider)
      kinds.push(result.ok ? 'ok' : result.error.kind)
    }
    expect(kinds).toEqual(['ok', 'timeout', 'auth', 'timeout', 'ok', 'timeout'])
  })

  const pattern = async (seed: number, rate: number, calls = 200) => {
    const provider = mock({ seed, failures: [{ rate, kind: 'rate_limited' }] })
    const out: boolean[] = []
    for (let i = 0; i < calls; i++) out.push((await call(provider)).ok)
    return out
  }

  it('fails a seeded share of calls with rate, the same calls for the same seed', async () => {
    const first = await pattern(7, 0.3)
    expect(await pattern(7, 0.3)).toEqual(first)
    expect(await pattern(8, 0.3)).not.toEqual(first)
    const failed = first.filter((ok) => !ok).length
    expect(failed).toBeGreaterThan(30)
    expect(failed).toBeLessThan(90)
  })

  it('fails the calls whose draw from the seeded stream is below the rate', async () => {
    const random = seededRandom(11)
    const expected = Array.from({ length: 50 }, () => !(random() < 0.5))
    expect(await pattern(11, 0.5, 50)).toEqual(expected)
  })

  it('never fails at rate 0 and always fails at rate 1', async () => {
    expect((await pattern(1, 0, 50)).every((ok) => ok)).toBe(true)
    expect((await pattern(1, 1, 50)).every((ok) => !ok)).toBe(true)
  })
})

describe('mock provider: abort', () => {
  it('returns a failure for a signal aborted before the call', async () => {
    const controller = new AbortController()
    controller.abort()
    const result = await call(mock({ default: 'x' }), 'hi', controller.signal)
    expect(result.ok).toBe(false)
    expect(result).toMatchObject({ ok: false, error: { retryable: false } })
  })

  it('returns a failure when the signal aborts during the latency wait', async () => {
    const clock = new FakeClock()
    const controller = new AbortController()
    clock.onSleep = () => controller.abort()
    const result = await call(mock({ latencyMs: 5000 }, clock), 'hi', controller.signal)
    expect(result).toMatchObject({ ok: false, error: { message: 'call aborted' } })
    expect(clock.sleeps).toEqual([5000])
  })

  it('answers normally on the next call with a live signal', async () => {
    const provider = mock({ default: 'x' })
    const controller = new AbortController()
    controller.abort()
    expect((await call(provider, 'hi', controller.signal)).ok).toBe(false)
    expect((await success(provider)).output).toBe('x')
  })
})

describe('mockOptions', () => {
  const issues = (options: Record<string, unknown>) => {
    const result = mockOptions.safeParse({ type: 'mock', ...options })
    expect(result.success).toBe(false)
    return result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? []
  }

  it('fills the defaults', () => {
    expect(mockOptions.parse({ type: 'mock' })).toEqual({
      type: 'mock',
      responses: [],
      latencyMs: 0,
      usage: 'estimate',
      failures: [],
      seed: 1,
    })
  })

  it('rejects a reply with both match and regex, or neither', () => {
    expect(issues({ responses: [{ match: 'a', regex: 'b', output: 'x' }] })).toEqual([
      'responses.0: give exactly one of `match` or `regex`',
    ])
    expect(issues({ responses: [{ output: 'x' }] })).toEqual([
      'responses.0: give exactly one of `match` or `regex`',
    ])
  })

  it('rejects an invalid regex', () => {
    expect(issues({ responses: [{ regex: '(unclosed', output: 'x' }] })).toEqual([
      'responses.0.regex: not a valid regular expression',
    ])
  })

  it('rejects a failure rule with both every and rate, or neither', () => {
    expect(issues({ failures: [{ every: 2, rate: 0.5 }] })).toEqual([
      'failures.0: give exactly one of `every` or `rate`',
    ])
    expect(issues({ failures: [{ kind: 'auth' }] })).toEqual([
      'failures.0: give exactly one of `every` or `rate`',
    ])
  })

  it.each([
    ['every: 0', { failures: [{ every: 0 }] }, 'failures.0.every'],
    ['a rate above 1', { failures: [{ rate: 1.5 }] }, 'failures.0.rate'],
    ['an unknown kind', { failures: [{ every: 1, kind: 'teapot' }] }, 'failures.0.kind'],
    ['a negative latency', { latencyMs: -1 }, 'latencyMs'],
    ['an unknown key', { reply: 'x' }, ''],
    [
      'an unknown key in a reply',
      { responses: [{ match: 'a', output: 'x', delay: 1 }] },
      'responses.0',
    ],
  ])('rejects %s', (_, options, path) => {
    expect(issues(options).some((i) => i.startsWith(`${path}:`))).toBe(true)
  })
})
