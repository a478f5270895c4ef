import { serve as serveHono } from '@hono/node-server'
import type { ServerType } from '@hono/node-server'
import express from 'express'
import { Hono } from 'hono'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { expressMiddleware } from '../../packages/runtime/src/adapters/express.js'
import { honoMiddleware } from '../../packages/runtime/src/adapters/hono.js'
import { createRuntimeHandler } from '../../packages/runtime/src/http/handler.js'
import type { HealthReport } from '../../packages/runtime/src/http/health.js'
import type { WindowMetrics } from '../../packages/runtime/src/telemetry/summary.js'
import { ALLOWED, FakeLimiter, cleanup, listen, testTelemetry } from './support.js'

/* The runtime endpoints served by Express and Hono apps on ephemeral loopback ports. */

function runtime() {
  const { telemetry, clock } = testTelemetry()
  const handler = createRuntimeHandler({
    telemetry,
    limiter: new FakeLimiter(ALLOWED),
    health: { checks: { db: () => true } },
  })
  return { telemetry, clock, handler }
}

/** The checks both frameworks pass: endpoints served, the app's routes recorded by template. */
async function checkEndpoints(url: string) {
  const health = await fetch(`${url}/health`)
  expect(health.status).toBe(200)
  expect(((await health.json()) as HealthReport).checks.db?.status).toBe('pass')
  const limit = await fetch(`${url}/rate-limit/u1`)
  expect(await limit.json()).toEqual({ user: 'u1', limit: 10, remaining: 7, reset_ms: 2500 })
  for (const id of ['1', '2', '3'])
    expect(await (await fetch(`${url}/users/${id}`)).text()).toBe(`user ${id}`)
  const posted = await fetch(`${url}/echo`, {
    method: 'POST',
    body: 'kept for the app',
    headers: { 'content-type': 'text/plain' },
  })
  expect(await posted.text()).toBe('kept for the app')
  expect((await fetch(`${url}/fail`)).status).toBe(500)
  const text = await (await fetch(`${url}/metrics`)).text()
  expect(text).toMatch(
    /http_server_requests_total\{[^}]*route="\/users\/:id",status_class="2xx"[^}]*\} 3/,
  )
  expect(text).toMatch(
    /http_server_requests_total\{[^}]*route="\/fail",status_class="5xx"[^}]*\} 1/,
  )
  expect(text).not.toMatch(/route="\/health"/)
  const json = (await (await fetch(`${url}/metrics?format=json`)).json()) as WindowMetrics
  expect(json).toMatchObject({ requests_total: 5, errors_total: 1 })
}

describe('expressMiddleware', () => {
  it('serves the endpoints and passes everything else on, recording it', async () => {
    const { telemetry, handler } = runtime()
    const app = express()
    app.use(expressMiddleware(handler, { telemetry }))
    app.get('/users/:id', (req, res) => {
      res.send(`user ${req.params.id}`)
    })
    app.post('/echo', express.text(), (req, res) => {
      res.send(req.body as string)
    })
    app.get('/fail', () => {
      throw new Error('handler failed')
    })
    app.use(
      (
        _error: unknown,
        _req: express.Request,
        res: express.Response,
        _next: express.NextFunction,
      ) => {
        res.status(500).send('failed')
      },
    )
    const server: Server = app.listen(0, '127.0.0.1')
    await checkEndpoints(await listen(server))
  })
})

describe('honoMiddleware', () => {
  it('serves the endpoints and passes everything else on, recording it', async () => {
    const { telemetry, handler } = runtime()
    const app = new Hono()
    app.use(honoMiddleware(handler, { telemetry }))
    app.get('/users/:id', (c) => c.text(`user ${c.req.param('id')}`))
    app.post('/echo', async (c) => c.text(await c.req.text()))
    app.get('/fail', () => {
      throw new Error('handler failed')
    })
    app.onError((_error, c) => c.text('failed', 500))
    const server = await new Promise<ServerType>((resolve) => {
      const s = serveHono({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
    })
    cleanup(() => new Promise<void>((resolve) => server.close(() => resolve())))
    await checkEndpoints(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
  })
})
