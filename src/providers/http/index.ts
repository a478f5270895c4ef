import type {
  CompletionRequest,
  CompletionResult,
  Provider,
  ProviderContext,
  ProviderFactory,
} from '../../contracts/provider.js'
import { renderString, renderValue } from '../../prompts/value.js'
import { failureOfStatus, retryAfterMs, timingOf } from '../http-shared.js'
import { requestScope } from '../scope.js'
import { callsAt } from '../tool-paths.js'
import { outputAt, parseAnswer, usageAt } from '../usage-paths.js'
import { httpOptions, type HttpOptions } from './schema.js'

/** The `http` provider: one request per case to the user's own service. */
export const httpProvider: ProviderFactory<HttpOptions> = {
  type: 'http',
  options: httpOptions,
  embeddings: false,
  create: (options, context) => new HttpProvider(options, context),
}

const DEFAULT_BODY = { prompt: '{{ prompt }}' }

class HttpProvider implements Provider {
  readonly type = 'http'
  readonly id: string
  readonly model: string | undefined

  constructor(
    private readonly options: HttpOptions,
    private readonly context: ProviderContext,
  ) {
    this.model = options.model
    this.id = `http:${context.name}`
  }

  async complete(
    request: CompletionRequest,
    { signal }: { signal: AbortSignal },
  ): Promise<CompletionResult> {
    const { clock } = this.context
    const started = clock.now()
    const fail = (
      message: string,
      extra: { kind?: 'unavailable' | 'bad_request' | 'unknown'; retryable?: boolean } = {},
    ): CompletionResult => ({
      ok: false,
      error: { kind: extra.kind ?? 'bad_request', message, retryable: extra.retryable ?? false },
      latencyMs: clock.now() - started,
    })
    let response: Response
    let text: string
    try {
      response = await this.send(request, signal)
      // Inside the try: a connection cut (or an abort) after the headers fails here.
      text = await response.text()
    } catch (error) {
      if (signal.aborted) return fail('call aborted', { kind: 'unknown' })
      return fail(`${this.options.url}: ${(error as Error).message}`, {
        kind: 'unavailable',
        retryable: true,
      })
    }
    if (!response.ok) {
      const error = failureOfStatus(
        response.status,
        `HTTP ${response.status}: ${text.slice(0, 200)}`,
        {
          retryAfterMs: retryAfterMs(response.headers),
        },
      )
      return { ok: false, error, latencyMs: clock.now() - started }
    }
    const answer = parseAnswer(text)
    const output = outputAt(answer, this.options.output)
    if (output === undefined)
      return fail(`the answer has nothing at "${this.options.output ?? ''}"`)
    const calls = callsAt(answer, this.options)
    if (!calls.ok) return fail(calls.message)
    return {
      ok: true,
      output,
      usage: usageAt(answer, this.options.usage),
      ...timingOf(response, clock.now() - started),
      ...(this.model === undefined ? {} : { model: this.model }),
      ...(calls.toolCalls === undefined ? {} : { toolCalls: calls.toolCalls }),
      ...(calls.trajectory === undefined ? {} : { trajectory: calls.trajectory }),
    }
  }

  private send(request: CompletionRequest, signal: AbortSignal): Promise<Response> {
    const scope = requestScope(request)
    const { method, headers } = this.options
    const body =
      method === 'GET'
        ? undefined
        : JSON.stringify(renderValue(this.options.body ?? DEFAULT_BODY, scope))
    return this.context.fetch(renderString(this.options.url, scope), {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body }),
      signal,
    })
  }
}
