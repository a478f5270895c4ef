/**
 * `@shipgate/runtime/express`: the runtime's endpoints as Express middleware. Express is an
 * optional peer: these types are the part of Express's request, response and `next` the
 * middleware uses, so they compile without `express` or `@types/express` installed, and an
 * Express `Request`, `Response` and `NextFunction` fit them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RuntimeHandler } from '../http/fetch.js'
import { OTHER_ROUTE } from '../http/routes.js'
import type { Telemetry } from '../telemetry/telemetry.js'
import type { FrameworkMiddlewareOptions } from './framework.js'
import { sendResponse, toRequest } from './node.js'

export type { FrameworkMiddlewareOptions } from './framework.js'

/** The part of an Express request the middleware reads. */
export interface ExpressRequest extends IncomingMessage {
  readonly method: string
  /** The URL as received, before routers stripped their mount path. */
  readonly originalUrl: string
  /** The mount path of the router that matched. */
  readonly baseUrl: string
  /** The route that matched, once routing is done (Express types it `any`). */
  readonly route?: unknown
}

/** Express's `next`: called with nothing to go on, or with an error. */
export type ExpressNext = (error?: unknown) => void

/** An Express middleware, as `app.use()` takes it. */
export type ExpressMiddleware = (
  req: ExpressRequest,
  res: ServerResponse,
  next: ExpressNext,
) => void

/**
 * Express middleware serving the runtime handler's endpoints (`app.use(expressMiddleware(h))`)
 * and calling `next()` for every other request. The runtime handler sees the method, URL and
 * headers, never the body, which stays for Express's own parsers.
 */
export function expressMiddleware(
  runtime: RuntimeHandler,
  options: FrameworkMiddlewareOptions = {},
): ExpressMiddleware {
  const { telemetry } = options
  return (req, res, next) => {
    void serveOrPass(runtime, telemetry, req, res, next).catch(next)
  }
}

async function serveOrPass(
  runtime: RuntimeHandler,
  telemetry: Telemetry | undefined,
  req: ExpressRequest,
  res: ServerResponse,
  next: ExpressNext,
): Promise<void> {
  const response = await runtime(toRequest(req, { url: req.originalUrl, body: false }))
  if (response !== undefined) return sendResponse(response, res, req.method === 'HEAD')
  if (telemetry === undefined) return next()
  record(telemetry, req, res, next)
}

function record(
  telemetry: Telemetry,
  req: ExpressRequest,
  res: ServerResponse,
  next: ExpressNext,
): void {
  const span = telemetry.beginRequest(req.method)
  res.once('close', () => span.end({ route: routeOf(req), status: res.statusCode }))
  span.run(() => next())
}

function routeOf(req: ExpressRequest): string {
  const path = (req.route as { path?: unknown } | undefined)?.path
  return typeof path === 'string' ? `${req.baseUrl}${path}` : OTHER_ROUTE
}
