import * as z from '../utils/zod.js'
import { anthropicOptions } from './anthropic/schema.js'
import { execOptions } from './exec/schema.js'
import { httpOptions } from './http/schema.js'
import { mockOptions } from './mock/schema.js'
import { openaiOptions } from './openai/schema.js'

/** The config schema of every builtin provider, told apart by `type`. */
export const providerSchema = z.discriminatedUnion('type', [
  mockOptions,
  anthropicOptions,
  openaiOptions,
  httpOptions,
  execOptions,
])

export type ProviderConfig = z.output<typeof providerSchema>
