import type { Telemetry } from '../telemetry/telemetry.js'
import { timeBody } from './body.js'
import { routeResolver } from './routes.js'
import type { RouteOption } from './routes.js'

/** Options of {@link withTelemetry}. */
export interface TelemetryMiddlewareOptions {
  readonly telemetry: Telemetry
  /** The `route` label: a template, a list of templates to match, or a function. Default `*`. */
  readonly route?: RouteOption
}

/**
 * Wraps a Fetch handler so each request it answers is recorded: counted by method, route and
 * status class, timed until its response body has been read to the end (a streamed body
 * included; a body nobody reads or cancels is never recorded), with its time to the body's
 * first chunk apart; an error when it is a 5xx, throws (rethrown), its body fails midway, or an
 * instrumented LLM call made while handling it fails. A request the handler declines
 * (`undefined`) is not recorded.
 */
export function withTelemetry<R extends Response | undefined>(
  handler: (request: Request) => R | Promise<R>,
  options: TelemetryMiddlewareOptions,
): (request: Request) => Promise<R> {
  const { telemetry } = options
  const routeOf = routeResolver(options.route)
  return async (request) => {
    const span = telemetry.beginRequest(request.method)
    let response: R
    try {
      response = await span.run(() => handler(request))
    } catch (error) {
      span.end({ route: routeOf(request), status: 500, error })
      throw error
    }
    if (response === undefined) return response
    const outcome = { route: routeOf(request), status: response.status }
    return timeBody(response, span, outcome, request) as R
  }
}
