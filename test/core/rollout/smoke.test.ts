import { describe, expect, it } from 'vitest'
import {
  defaultSmokeChecks,
  describeRequestError,
  judgeSmokeResponse,
  type SmokeCheck,
} from '../../../src/core/rollout/smoke.js'

const [health, query, rateLimit, metrics] = defaultSmokeChecks('degraded') as [
  SmokeCheck,
  SmokeCheck,
  SmokeCheck,
  SmokeCheck,
]
const ok = (body: unknown, extra: Partial<{ status: number; latencyMs: number }> = {}) => ({
  status: 200,
  statusText: 'OK',
  body: typeof body === 'string' ? body : JSON.stringify(body),
  latencyMs: 12,
  ...extra,
})

describe('judging a smoke answer', () => {
  it('passes the seed checks on the answers of a healthy service', () => {
    expect(judgeSmokeResponse(health, ok({ status: 'healthy', checks: {} }))).toEqual({
      passed: true,
    })
    expect(judgeSmokeResponse(query, ok({ response: 'hi' }))).toEqual({ passed: true })
    expect(judgeSmokeResponse(rateLimit, ok({ remaining: 3 }))).toEqual({ passed: true })
    expect(judgeSmokeResponse(metrics, ok('# HELP x\nx 1\n'))).toEqual({ passed: true })
  })

  it('says which value was wrong, and retries it', () => {
    expect(judgeSmokeResponse(health, ok({ status: 'degraded' }))).toEqual({
      passed: false,
      reason: 'GET /health: status is "degraded", expected "healthy"',
      retryable: true,
    })
  })

  it('names a status that is not the expected one; a 5xx may recover, a 4xx not', () => {
    const error = { status: 500, statusText: 'Internal Server Error', body: '', latencyMs: 3 }
    expect(judgeSmokeResponse(query, error)).toEqual({
      passed: false,
      reason: 'POST /agent/query: 500 Internal Server Error, expected 200',
      retryable: true,
    })
    const missing = { status: 404, statusText: 'Not Found', body: '{}', latencyMs: 3 }
    expect(judgeSmokeResponse(rateLimit, missing)).toMatchObject({
      reason: 'GET /rate-limit/smoke_test: 404 Not Found, expected 200',
      retryable: false,
    })
  })

  it('needs the fields an `exists` expectation names, and a JSON body', () => {
    expect(judgeSmokeResponse(query, ok({ answer: 'hi' }))).toMatchObject({
      passed: false,
      reason: 'POST /agent/query: no `response` field in the body',
    })
    expect(judgeSmokeResponse(query, ok('<html>'))).toMatchObject({
      passed: false,
      reason: 'POST /agent/query: the body is not JSON ("<html>")',
    })
  })

  it('compares nested paths and structured values exactly', () => {
    const check = { ...health, expect: { 'data.items[1]': { id: 2, tags: ['a'] } } }
    expect(
      judgeSmokeResponse(check, ok({ data: { items: [{}, { tags: ['a'], id: 2 }] } })),
    ).toEqual({ passed: true })
    expect(judgeSmokeResponse(check, ok({ data: { items: [{}, { id: 3 }] } }))).toMatchObject({
      reason: 'GET /health: data.items[1] is {"id":3}, expected {"id":2,"tags":["a"]}',
    })
  })

  it('fails an answer slower than the bound, in readable milliseconds', () => {
    const bounded = { ...metrics, maxLatencyMs: 5_000 }
    expect(judgeSmokeResponse(bounded, ok('', { latencyMs: 5_200 }))).toEqual({
      passed: false,
      reason: 'GET /metrics: took 5,200 ms, limit 5,000 ms',
      retryable: true,
    })
    expect(judgeSmokeResponse(bounded, ok('', { latencyMs: 4_999 }))).toEqual({ passed: true })
  })
})

describe('describing a request that got no answer', () => {
  it('tells refused connections and timeouts apart', () => {
    const refused = new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })
    expect(describeRequestError(refused, 10_000)).toBe('connection refused')
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError')
    expect(describeRequestError(timeout, 10_000)).toBe('no answer within 10,000 ms')
    expect(describeRequestError(new Error('boom'), 1)).toBe('boom')
  })
})

it('says what failed under fetch\'s own "fetch failed"', () => {
  const bad = new TypeError('fetch failed', { cause: new Error('bad port') })
  expect(describeRequestError(bad, 1)).toBe('bad port')
  const reset = new TypeError('fetch failed', {
    cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
  })
  expect(describeRequestError(reset, 1)).toBe('connection reset')
})
