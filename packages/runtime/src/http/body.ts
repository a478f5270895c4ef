import type { RequestOutcome, RequestSpan } from '../telemetry/telemetry.js'

/**
 * The spans of one request whose server writes the response body itself and says how far it
 * got (`toNodeListener` does): {@link timeBody} hands them to it instead of wrapping the body.
 * A wrapped body costs a second `ReadableStream`, a second `Response` and a second read per
 * chunk: on the node:http adapter that was twice what the rest of the telemetry adds to a
 * request (docs/benchmarks.md).
 */
export class BodyTiming {
  private readonly followed: { readonly span: RequestSpan; readonly outcome: RequestOutcome }[] = []

  /** Ends `span` with `outcome` when the body ends: sent whole, cancelled or failed. */
  follow(span: RequestSpan, outcome: RequestOutcome): void {
    this.followed.push({ span, outcome })
  }

  /**
   * Reads the body's next chunk in the request's scope, so LLM calls a streamed body makes
   * count toward the request; the first span's is the innermost wrap's, as when bodies were
   * wrapped one inside the other.
   */
  read<T>(reader: ReadableStreamDefaultReader<T>): ReturnType<typeof reader.read> {
    const span = this.followed[0]?.span
    return span === undefined ? reader.read() : span.run(() => reader.read())
  }

  /** The body's first chunk is being sent. */
  firstByte(): void {
    for (const { span } of this.followed) span.firstByte()
  }

  /** The body was sent whole or cancelled; with `failure`, it failed midway. */
  end(failure?: { readonly error: unknown }): void {
    for (const { span, outcome } of this.followed) {
      span.end(failure === undefined ? outcome : { ...outcome, error: failure.error })
    }
  }
}

const timedByServer = new WeakMap<Request, BodyTiming>()

/**
 * Called by a server before it hands `request` to its handler: it will send the response body
 * itself and report its progress to the returned timing, which must then end (spans left
 * open are never recorded).
 */
export function serverTimesBody(request: Request): BodyTiming {
  const timing = new BodyTiming()
  timedByServer.set(request, timing)
  return timing
}

/**
 * `response` with its body timed: `span` hears of the body's first chunk (`firstByte`) and ends
 * when the body has been read to its end, has failed (the outcome then carries the error) or
 * was cancelled (the client went away, or a HEAD answer dropped it). A response without a body
 * ends the span at once. The body is read on demand, never ahead of the server sending it, and
 * inside the request's scope, so LLM calls a streamed body makes count toward the request.
 * When the server serving `request` times its body ({@link serverTimesBody}), the span is left
 * to it and `response` is returned as it is.
 */
export function timeBody(
  response: Response,
  span: RequestSpan,
  outcome: RequestOutcome,
  request?: Request,
): Response {
  const body = response.body
  if (body === null) {
    span.end(outcome)
    return response
  }
  const timing = request === undefined ? undefined : timedByServer.get(request)
  if (timing !== undefined) {
    timing.follow(span, outcome)
    return response
  }
  const timed = timedStream(body, span, outcome)
  return new Response(timed, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  })
}

function timedStream(
  body: ReadableStream<Uint8Array>,
  span: RequestSpan,
  outcome: RequestOutcome,
): ReadableStream<Uint8Array> {
  const reader = body.getReader()
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let step: Awaited<ReturnType<typeof reader.read>>
        try {
          step = await span.run(() => reader.read())
        } catch (error) {
          span.end({ ...outcome, error })
          controller.error(error)
          return
        }
        if (step.done) {
          span.end(outcome)
          controller.close()
          return
        }
        span.firstByte()
        controller.enqueue(step.value)
      },
      cancel(reason) {
        span.end(outcome)
        return reader.cancel(reason)
      },
    },
    { highWaterMark: 0 },
  )
}
