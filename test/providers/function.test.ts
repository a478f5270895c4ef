import { describe, expect, it } from 'vitest'
import type { Clock } from '../../src/contracts/clock.js'
import type { CompletionRequest, CompletionResult } from '../../src/contracts/provider.js'
import { ZERO_USAGE } from '../../src/contracts/usage.js'
import { silentLogger } from '../../src/logger.js'
import { functionProvider, type FunctionCall } from '../../src/providers/function/index.js'
import { functionOptions } from '../../src/providers/function/schema.js'

/** A clock the test moves by hand, so latency is exact. */
class HandClock implements Clock {
  time = 5_000
  now(): number {
    return this.time
  }
  sleep(): Promise<void> {
    throw new Error('the function provider never sleeps')
  }
  setTimer(): () => void {
    throw new Error('the function provider sets no timers')
  }
}

const request: CompletionRequest = {
  messages: [{ role: 'user', content: 'Review: SELECT * FROM users' }],
  vars: { code: 'SELECT * FROM users' },
}

function provider(
  call: FunctionCall,
  extra: Record<string, unknown> = {},
  clock = new HandClock(),
) {
  const options = functionOptions.parse({ type: 'function', call, ...extra })
  return functionProvider.create(options, {
    name: 'review',
    baseDir: '.',
    env: {},
    clock,
    logger: silentLogger,
    fetch: () => Promise.reject(new Error('no HTTP')),
    offline: false,
  })
}

const complete = (call: FunctionCall, signal = new AbortController().signal) =>
  provider(call).complete(request, { signal })

describe('the function provider', () => {
  it('passes the request and its signal, and measures the call on the clock', async () => {
    const clock = new HandClock()
    let seen: { request: CompletionRequest; signal: AbortSignal } | undefined
    const fn = provider(
      async (req, { signal }) => {
        seen = { request: req, signal }
        await Promise.resolve()
        clock.time += 42
        return { output: `ok: ${String(req.vars.code)}`, usage: { input: 12, output: 3 } }
      },
      {},
      clock,
    )
    const signal = new AbortController().signal
    const result = await fn.complete(request, { signal })
    expect(result).toEqual({
      ok: true,
      output: 'ok: SELECT * FROM users',
      usage: { input: 12, output: 3, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
      latencyMs: 42,
      cached: false,
      model: undefined,
    })
    expect(seen?.request).toBe(request)
    expect(seen?.signal).toBe(signal)
    expect(fn.id).toBe('function:review')
    expect(fn.type).toBe('function')
  })

  it('reports zero usage when the function gives none, and the model it names', async () => {
    const fn = provider(() => ({ output: 'plain', model: 'gpt-4o-mini-2024-07-18' }), {
      model: 'gpt-4o-mini',
    })
    const result = await fn.complete(request, { signal: new AbortController().signal })
    expect(result).toMatchObject({ ok: true, usage: ZERO_USAGE, model: 'gpt-4o-mini-2024-07-18' })
    expect(fn.id).toBe('function:gpt-4o-mini')
    expect(fn.model).toBe('gpt-4o-mini')
  })

  it('turns a thrown error into an unknown, non-retryable failure', async () => {
    const result = await complete(() => {
      throw new Error('database is down')
    })
    expect(result).toEqual({
      ok: false,
      error: { kind: 'unknown', message: 'database is down', retryable: false },
      latencyMs: 0,
    })
  })

  it('turns a rejected promise (of anything) into the same failure', async () => {
    const rejected = await complete(() => Promise.reject(new TypeError('bad input')))
    expect(rejected).toMatchObject({
      ok: false,
      error: { kind: 'unknown', message: 'bad input', retryable: false },
    })
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    const odd = await complete(() => Promise.reject('a string'))
    expect(odd).toMatchObject({ ok: false, error: { message: 'a string', retryable: false } })
  })

  it('lets the function report a retryable failure as a value', async () => {
    const limited = await complete(() => ({
      error: { kind: 'rate_limited', message: 'slow down', retryAfterMs: 1_500 },
    }))
    expect(limited).toEqual({
      ok: false,
      error: { kind: 'rate_limited', message: 'slow down', retryable: true, retryAfterMs: 1_500 },
      latencyMs: 0,
    })
    const told = await complete(() => ({ error: { message: 'flaky', retryable: true } }))
    expect(told).toMatchObject({ ok: false, error: { kind: 'unknown', retryable: true } })
    const bad = await complete(() => ({ error: { kind: 'auth', message: 'no key' } }))
    expect(bad).toMatchObject({ ok: false, error: { kind: 'auth', retryable: false } })
  })

  it('fails, without throwing, on an answer of the wrong shape', async () => {
    const answers: unknown[] = [undefined, 'text', { output: 3 }, ['a']]
    for (const answer of answers) {
      const result = await complete(() => answer as { output: string })
      expect(result.ok).toBe(false)
      expect((result as Extract<CompletionResult, { ok: false }>).error.message).toMatch(
        /^the function answered .*, not \{ output: string \}$/,
      )
    }
  })

  it('returns as soon as the signal aborts, even when the function ignores it', async () => {
    const controller = new AbortController()
    let sawAbort = false
    const never: FunctionCall = (_req, { signal }) => {
      signal.addEventListener('abort', () => (sawAbort = true))
      setTimeout(() => controller.abort(), 5)
      return new Promise(() => {})
    }
    const result = await complete(never, controller.signal)
    expect(result).toMatchObject({
      ok: false,
      error: { kind: 'unknown', message: 'call aborted', retryable: false },
    })
    expect(sawAbort).toBe(true)
  })

  it('does not call the function when the signal has already aborted', async () => {
    let calls = 0
    const controller = new AbortController()
    controller.abort()
    const result = await complete(() => ({ output: String(++calls) }), controller.signal)
    expect(result.ok).toBe(false)
    expect(calls).toBe(0)
  })

  it('rejects options without a function', () => {
    const parsed = functionOptions.safeParse({ type: 'function', call: 'not a function' })
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues[0]?.message).toContain('expected a function')
  })
})
