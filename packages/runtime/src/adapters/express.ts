import type {
  NextFunction,
  Request as ExpressRequest,
  RequestHandler,
  Response as ExpressResponse,
} from 'express'
import type { RuntimeHandler } from '../http/fetch.js'
import { OTHER_ROUTE } from '../http/routes.js'
import type { Telemetry } from '../telemetry/telemetry.js'
import { sendResponse, toRequest } from './node.js'

/** Options of {@link expressMiddleware} and {@link honoMiddleware}. */
export interface FrameworkMiddlewareOptions {
  /**
   * Records every request the runtime handler passes on, under the route template the
   * framework matched (Express `req.baseUrl + req.route.path`, Hono's route path).
   */
  readonly telemetry?: Telemetry
}

/**
 * Express middleware serving the runtime handler's endpoints (`app.use(expressMiddleware(h))`)
 * and calling `next()` for every other request. The runtime handler sees the method, URL and
 * headers, never the body, which stays for Express's own parsers.
 */
export function expressMiddleware(
  runtime: RuntimeHandler,
  options: FrameworkMiddlewareOptions = {},
): RequestHandler {
  const { telemetry } = options
  return (req, res, next) => {
    void serveOrPass(runtime, telemetry, req, res, next).catch(next)
  }
}

async function serveOrPass(
  runtime: RuntimeHandler,
  telemetry: Telemetry | undefined,
  req: ExpressRequest,
  res: ExpressResponse,
  next: NextFunction,
): Promise<void> {
  const response = await runtime(toRequest(req, { url: req.originalUrl, body: false }))
  if (response !== undefined) return sendResponse(response, res, req.method === 'HEAD')
  if (telemetry === undefined) return next()
  record(telemetry, req, res, next)
}

function record(
  telemetry: Telemetry,
  req: ExpressRequest,
  res: ExpressResponse,
  next: NextFunction,
): void {
  const span = telemetry.beginRequest(req.method)
  res.once('close', () => span.end({ route: routeOf(req), status: res.statusCode }))
  span.run(() => next())
}

function routeOf(req: ExpressRequest): string {
  const path = (req.route as { path?: unknown } | undefined)?.path
  return typeof path === 'string' ? `${req.baseUrl}${path}` : OTHER_ROUTE
}
