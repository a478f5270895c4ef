import * as z from '../../utils/zod.js'
import { apiKeyEnv, modelApiCommon, providerCommon } from '../common.js'

/** Options of the `openai` provider: Chat Completions or Responses through the official SDK. */
export const openaiOptions = z
  .strictObject({
    type: z.literal('openai'),
    ...providerCommon,
    ...modelApiCommon,
    api: z
      ._default(z.enum(['chat', 'responses']), 'chat')
      .check(
        z.describe(
          'chat: Chat Completions (any OpenAI-compatible server); responses: the Responses API.',
        ),
      ),
    apiKeyEnv: apiKeyEnv('OPENAI_API_KEY'),
    noApiKey: z
      ._default(z.boolean(), false)
      .check(
        z.describe(
          'Send no key: a local OpenAI-compatible server (Ollama, vLLM, llama.cpp) needs none.',
        ),
      ),
    organization: z.optional(z.string()),
    embeddingModel: z
      ._default(z.string().check(z.minLength(1)), 'text-embedding-3-small')
      .check(z.describe('Model of embeddings calls (semantic similarity), on the same baseUrl.')),
  })
  .check(
    z.describe(
      'OpenAI Chat Completions or Responses API (openai SDK); baseUrl for compatible servers.',
    ),
  )

export type OpenAIOptions = z.output<typeof openaiOptions>
