import * as z from '../../utils/zod.js'
import { apiKeyEnv, modelApiCommon, providerCommon } from '../common.js'

/** Options of the `anthropic` provider: the Messages API through the official SDK. */
export const anthropicOptions = z
  .strictObject({
    type: z.literal('anthropic'),
    ...providerCommon,
    ...modelApiCommon,
    apiKeyEnv: apiKeyEnv('ANTHROPIC_API_KEY'),
  })
  .check(z.describe('Anthropic Messages API (@anthropic-ai/sdk).'))

export type AnthropicOptions = z.output<typeof anthropicOptions>
