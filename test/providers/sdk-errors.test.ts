import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { describe, expect, it } from 'vitest'
import { classifySdkError, sendThenRead } from '../../src/providers/sdk-errors.js'
import type { SdkCall } from '../../src/providers/sdk-errors.js'

/*
 * The classification of what each official SDK throws, on the SDKs' own error classes: the
 * openai SDK leaves `name` unset on its errors, so nothing may depend on names.
 */

const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })

/** An SDK call whose headers arrived (a 2xx) and whose reading then fails with `error`. */
const failingRead = (error: Error): SdkCall<unknown> => ({
  asResponse: () => Promise.resolve(new Response('')),
  withResponse: () => Promise.reject(error),
})

const readFailure = (error: Error) =>
  sendThenRead(failingRead(error), 'Some API', () => undefined).catch((e: unknown) => e)

describe.each([
  ['openai', OpenAI],
  ['anthropic', Anthropic],
] as const)('%s SDK errors', (_, sdk) => {
  const classify = (error: unknown, signal?: AbortSignal) =>
    classifySdkError(error, { sdk, apiKeyEnv: 'KEY', ...(signal ? { signal } : {}) })

  it('a connection that failed is unavailable and retryable, naming its cause and code', () => {
    const error = new sdk.APIConnectionError({ message: 'Connection error.', cause: reset })
    expect(classify(error)).toEqual({
      kind: 'unavailable',
      message: 'the connection failed before an answer arrived: socket hang up (ECONNRESET)',
      retryable: true,
    })
  })

  it("the SDK's timeout is a retryable timeout; the caller's abort is not retried", () => {
    expect(classify(new sdk.APIConnectionTimeoutError())).toMatchObject({
      kind: 'timeout',
      retryable: true,
    })
    expect(classify(new sdk.APIUserAbortError())).toMatchObject({ retryable: false })
    const aborted = AbortSignal.abort()
    expect(classify(new sdk.APIConnectionError({ message: 'x', cause: reset }), aborted)).toEqual({
      kind: 'unknown',
      message: 'call aborted',
      retryable: false,
    })
  })

  it('HTTP errors by status, with retry-after and the key to check', () => {
    const headers = new Headers({ 'retry-after': '2' })
    expect(classify(new sdk.APIError(429, undefined, 'slow down', headers))).toMatchObject({
      kind: 'rate_limited',
      retryable: true,
      retryAfterMs: 2000,
    })
    expect(classify(new sdk.APIError(401, undefined, 'no', new Headers()))).toMatchObject({
      kind: 'auth',
      retryable: false,
      hint: 'check the key in KEY',
    })
    expect(classify(new sdk.APIError(400, undefined, 'bad', new Headers()))).toMatchObject({
      kind: 'bad_request',
      retryable: false,
    })
  })

  it('an error event in a stream: overloaded is retried, an invalid request is not', () => {
    const event = (type: string) =>
      new sdk.APIError(undefined, { error: { type } }, 'in stream', undefined)
    expect(classify(event('overloaded_error'))).toMatchObject({
      kind: 'unavailable',
      retryable: true,
    })
    expect(classify(event('invalid_request_error'))).toMatchObject({
      kind: 'bad_request',
      retryable: false,
    })
  })

  it('while reading a 2xx: a cut is a dropped connection, anything else a malformed answer', async () => {
    const cut = new TypeError('terminated', {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    })
    expect(classify(await readFailure(cut))).toEqual({
      kind: 'unavailable',
      message:
        'the connection was cut while the answer was read: terminated: other side closed (UND_ERR_SOCKET)',
      retryable: true,
    })
    expect(classify(await readFailure(new SyntaxError('Unexpected end of JSON input')))).toEqual({
      kind: 'unavailable',
      message:
        'the answer (a 2xx) is not a valid Some API response: its body is not JSON (Unexpected end of JSON input)',
      retryable: true,
    })
    const crash = new TypeError("Cannot read properties of undefined (reading 'map')")
    expect(classify(await readFailure(crash))).toEqual({
      kind: 'unavailable',
      message:
        "the answer (a 2xx) is not a valid Some API response: its body does not have the API's shape",
      retryable: true,
    })
  })

  it('anything else, before an answer, is unknown and not retried', () => {
    expect(classify(new Error('a bug'))).toEqual({
      kind: 'unknown',
      message: 'a bug',
      retryable: false,
    })
  })
})
