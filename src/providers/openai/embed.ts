import OpenAI from 'openai'
import type { Clock } from '../../contracts/clock.js'
import type { EmbeddingResult } from '../../contracts/provider.js'
import type { Usage } from '../../contracts/usage.js'
import { timingOf } from '../http-shared.js'
import { classifySdkError, MalformedAnswer, sendThenRead } from '../sdk-errors.js'

/** What an embeddings call needs besides the texts. */
export interface EmbedContext {
  readonly client: OpenAI
  readonly model: string
  readonly clock: Clock
  /** Named in the hint of an authentication failure; absent for a keyless server. */
  readonly apiKeyEnv: string | undefined
}

/**
 * Embeds `texts` with one `POST /embeddings` through the provider's client (so its fetch, and
 * with it the cassettes, is used). Vectors come back in the order of `texts`; failures are
 * values, classified like those of completions.
 */
export async function embedTexts(
  texts: readonly string[],
  signal: AbortSignal,
  { client, model, clock, apiKeyEnv }: EmbedContext,
): Promise<EmbeddingResult> {
  // The API rejects an empty input list; there is nothing to ask.
  if (texts.length === 0) return { ok: true, vectors: [], usage: null, latencyMs: 0, cached: false }
  const started = clock.now()
  try {
    // `float`: without a format the SDK asks for base64 and decodes it to Float32Arrays.
    const call = client.embeddings.create(
      { model, input: [...texts], encoding_format: 'float' },
      { signal },
    )
    const { data, response } = await sendThenRead(call, 'OpenAI Embeddings', (data, response) => {
      if (!Array.isArray((data as { data?: unknown } | null)?.data))
        throw new MalformedAnswer('it has no list of embeddings')
      return { data, response }
    })
    const measured = clock.now() - started
    const vectors = [...data.data].sort((a, b) => a.index - b.index).map((e) => e.embedding)
    if (vectors.length !== texts.length) {
      const message = `asked for ${texts.length} embeddings, got ${vectors.length}`
      return {
        ok: false,
        error: { kind: 'unknown', message, retryable: false },
        latencyMs: measured,
      }
    }
    return {
      ok: true,
      vectors,
      usage: usageOf(data),
      ...timingOf(response, measured),
      model: data.model,
    }
  } catch (error) {
    return {
      ok: false,
      error: classifySdkError(error, { sdk: OpenAI, apiKeyEnv, signal }),
      latencyMs: clock.now() - started,
    }
  }
}

/** Embeddings have input tokens only; some compatible servers report none. */
function usageOf(data: OpenAI.CreateEmbeddingResponse): Usage | null {
  const usage = data.usage as OpenAI.CreateEmbeddingResponse.Usage | undefined
  if (usage === undefined) return null
  return { input: usage.prompt_tokens, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 }
}
