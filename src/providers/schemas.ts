import * as z from '../utils/zod.js'
import { mockOptions } from './mock/schema.js'

/** The config schema of every builtin provider, told apart by `type`. */
export const providerSchema = z.discriminatedUnion('type', [mockOptions])

export type ProviderConfig = z.output<typeof providerSchema>
