import * as z from '../utils/zod.js'
import { anthropicOptions } from './anthropic/schema.js'
import { execOptions } from './exec/schema.js'
import { functionOptions } from './function/schema.js'
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
  functionOptions,
])

/**
 * Provider types only a config passed from code can use: their options hold JavaScript values
 * (a function), which no config file can. The JSON Schema leaves them out; a file naming one
 * gets a ConfigError pointing at the library API.
 */
export const LIBRARY_ONLY_PROVIDERS: ReadonlySet<string> = new Set(['function'])

export type ProviderConfig = z.output<typeof providerSchema>
