import { serve as serveHono, type ServerType } from '@hono/node-server'
import express from 'express'
import { Hono } from 'hono'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { expressMiddleware, expressRateLimit } from '../../packages/runtime/src/adapters/express.js'
import { honoMiddleware, honoRateLimit } from '../../packages/runtime/src/adapters/hono.js'
import { createRuntimeHandler } from '../../packages/runtime/src/http/handler.js'
import { createMemoryRateLimiter } from '../../packages/runtime/src/rate-limit/memory.js'
import { cleanup, listen, testTelemetry } from './support.js'

/*
 * Express 4 and 5 and Hono on loopback ports: a route that throws inside a mounted router is
 * labelled by its template (Express 5 resets req.baseUrl before the response closes), and the
 * rate-limit middleware limits the app's routes per user while /rate-limit/{user} reports the
 * same bucket, wired as the docs' examples wire them (the same `key` functions).
 */

// express@4 under an npm alias; its API is the part of Express 5's types used here.
const express4 = createRequire(import.meta.url)('express4') as typeof express
const EXPRESS = { 'Express 5': express, 'Express 4': express4 }

function service() {
  const { telemetry } = testTelemetry()
  const limiter = createMemoryRateLimiter({ rate: 0.001, burst: 2 })
  const runtime = createRuntimeHandler({ telemetry, limiter })
  return { telemetry, limiter, runtime }
}

/** What every app must do: label the throwing route, limit per user, report the bucket. */
async function check(url: string) {
  const boom = await fetch(`${url}/api/boom`)
  expect(boom.status).toBe(500)
  const user = { headers: { 'x-user-id': 'u1' } }
  const first = await fetch(`${url}/api/hello`, user)
  expect(first.status).toBe(200)
  expect(first.headers.get('ratelimit-remaining')).toBe('1')
  expect((await fetch(`${url}/api/hello`, user)).status).toBe(200)
  const refused = await fetch(`${url}/api/hello`, user)
  expect(refused.status).toBe(429)
  expect(refused.headers.get('retry-after')).not.toBeNull()
  expect(await refused.json()).toMatchObject({ error: 'rate_limited' })
  // Another user, and a request with no user, are not limited by u1's bucket.
  expect((await fetch(`${url}/api/hello`, { headers: { 'x-user-id': 'u2' } })).status).toBe(200)
  expect((await fetch(`${url}/api/hello`)).status).toBe(200)
  const bucket = await fetch(`${url}/rate-limit/u1`)
  expect(bucket.status).toBe(200)
  expect(await bucket.json()).toMatchObject({ user: 'u1', limit: 2, remaining: 0 })
  const metrics = await (await fetch(`${url}/metrics`)).text()
  expect(metrics).toMatch(/http_server_requests_total\{[^}]*route="\/api\/boom",status_class="5xx"/)
  expect(metrics).not.toContain('undefined')
}

describe.each(Object.entries(EXPRESS))('%s', (_name, framework) => {
  it('labels a throwing route by its template, and limits per user', async () => {
    const { telemetry, limiter, runtime } = service()
    const app = framework()
    app.use(expressMiddleware(runtime, { telemetry }))
    app.use(expressRateLimit({ limiter, key: (req) => req.get('x-user-id') }))
    const api = framework.Router()
    api.get('/boom', () => {
      throw new Error('boom')
    })
    api.get('/hello', (_req, res) => {
      res.send('hello')
    })
    app.use('/api', api)
    // No error handler of the app's own: Express's final handler answers the throw.
    await check(await listen(app.listen(0, '127.0.0.1')))
  })
})

describe('Hono', () => {
  it('labels a throwing route by its template, and limits per user', async () => {
    const { telemetry, limiter, runtime } = service()
    const app = new Hono()
    app.use(honoMiddleware(runtime, { telemetry }))
    app.use(honoRateLimit({ limiter, key: (c) => c.req.header('x-user-id') }))
    const api = new Hono()
    api.get('/boom', () => {
      throw new Error('boom')
    })
    api.get('/hello', (c) => c.text('hello'))
    app.route('/api', api)
    const server = await new Promise<ServerType>((resolve) => {
      const s = serveHono({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
    })
    cleanup(() => new Promise<void>((resolve) => server.close(() => resolve())))
    await check(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
  })
})
