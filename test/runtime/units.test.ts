import { describe, expect, it } from 'vitest'
import { routeResolver } from '../../packages/runtime/src/http/routes.js'
import { usageOf } from '../../packages/runtime/src/llm/usage.js'
import { errorType } from '../../packages/runtime/src/telemetry/error-type.js'
import { percentile } from '../../packages/runtime/src/telemetry/summary.js'
import { testTelemetry } from './support.js'

describe('routeResolver', () => {
  const route = routeResolver(['/users/:id', '/users/:id/posts', '/files/*', '/'])
  const of = (path: string) => route(new Request(`http://h${path}`))

  it('matches templates segment by segment, the first match winning', () => {
    expect(of('/users/42')).toBe('/users/:id')
    expect(of('/users/42/posts?page=2')).toBe('/users/:id/posts')
    expect(of('/files/a/b/c.txt')).toBe('/files/*')
    expect(of('/')).toBe('/')
  })

  it('labels unmatched paths _other, never with the raw path', () => {
    expect(of('/users')).toBe('_other')
    expect(of('/users/42/comments')).toBe('_other')
    expect(of('/random-12345')).toBe('_other')
  })

  it('takes a fixed label or a function', () => {
    expect(routeResolver()(new Request('http://h/x'))).toBe('*')
    expect(routeResolver('/agent/query')(new Request('http://h/x'))).toBe('/agent/query')
    expect(routeResolver((r) => r.method)(new Request('http://h/x'))).toBe('GET')
  })
})

describe('usageOf', () => {
  it('reads shipgate usage and the three SDK shapes, normalized', () => {
    const shipgate = { input: 10, output: 2, cacheRead: 1, cacheWrite: 0, reasoning: 0 }
    expect(usageOf('x', { usage: shipgate })).toEqual(shipgate)
    expect(
      usageOf('anthropic', {
        usage: {
          input_tokens: 5,
          output_tokens: 2,
          cache_read_input_tokens: 3,
          cache_creation_input_tokens: 4,
        },
      }),
    ).toEqual({ input: 12, output: 2, cacheRead: 3, cacheWrite: 4, reasoning: 0 })
    expect(
      usageOf('openai', {
        usage: {
          prompt_tokens: 9,
          completion_tokens: 4,
          prompt_tokens_details: { cached_tokens: 2 },
          completion_tokens_details: { reasoning_tokens: 1 },
        },
      }),
    ).toEqual({ input: 9, output: 4, cacheRead: 2, cacheWrite: 0, reasoning: 1 })
    expect(
      usageOf('openai', {
        usage: {
          input_tokens: 9,
          output_tokens: 4,
          total_tokens: 13,
          input_tokens_details: { cached_tokens: 2 },
        },
      }),
    ).toEqual({ input: 9, output: 4, cacheRead: 2, cacheWrite: 0, reasoning: 0 })
  })

  it('is null without usage', () => {
    expect(usageOf('openai', 'text')).toBeNull()
    expect(usageOf('openai', { usage: null })).toBeNull()
    expect(usageOf('openai', undefined)).toBeNull()
  })
})

describe('errorType', () => {
  it('is the error name, else its status, else _OTHER', () => {
    class RateLimitError extends Error {}
    expect(errorType(new RateLimitError('x'))).toBe('RateLimitError')
    expect(errorType(new TypeError('x'))).toBe('TypeError')
    expect(errorType(Object.assign(new Error('x'), { status: 503 }))).toBe('503')
    expect(errorType(new Error('x'))).toBe('_OTHER')
    expect(errorType('a string')).toBe('_OTHER')
  })
})

describe('percentile', () => {
  it('is the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i)
    expect(percentile(values, 0.95)).toBe(95)
    expect(percentile([7], 0.95)).toBe(7)
    expect(percentile([], 0.95)).toBe(0)
  })
})

describe('telemetry.wrap', () => {
  it('records a throwing handler as a 500 with the error class, and rethrows', async () => {
    const { telemetry } = testTelemetry()
    const handler = telemetry.wrap(
      () => {
        throw new RangeError('bad')
      },
      { route: '/x' },
    )
    await expect(handler(new Request('http://h/x', { method: 'PURGE' }))).rejects.toThrow('bad')
    const text = await telemetry.metricsText()
    expect(text).toMatch(
      /http_server_errors_total\{method="_OTHER",route="\/x",error_type="RangeError"[^}]*\} 1/,
    )
    expect(telemetry.snapshot()).toMatchObject({ requests_total: 1, errors_total: 1 })
  })

  it('does not record a request its handler declines', async () => {
    const { telemetry } = testTelemetry()
    expect(await telemetry.wrap(() => undefined)(new Request('http://h/'))).toBeUndefined()
    expect(telemetry.snapshot().requests_total).toBe(0)
  })
})
