import type { RequestOutcome, RequestSpan } from '../telemetry/telemetry.js'

/**
 * `response` with its body timed: `span` hears of the body's first chunk (`firstByte`) and ends
 * when the body has been read to its end, has failed (the outcome then carries the error) or
 * was cancelled (the client went away, or a HEAD answer dropped it). A response without a body
 * ends the span at once. The body is read on demand, never ahead of the server sending it, and
 * inside the request's scope, so LLM calls a streamed body makes count toward the request.
 */
export function timeBody(response: Response, span: RequestSpan, outcome: RequestOutcome): Response {
  const body = response.body
  if (body === null) {
    span.end(outcome)
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
