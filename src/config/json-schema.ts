import { LIBRARY_ONLY_PROVIDERS, providerSchema } from '../providers/schemas.js'
import * as z from '../utils/zod.js'
import { configSchema } from './schema.js'

/**
 * The JSON Schema of `shipgate.yaml`, generated from the zod schema (what a user may write).
 * Library-only providers (`function`) are left out: the schema describes files, and a
 * `function` provider's `call` is a JavaScript function, which no file can hold. Listing it
 * would offer editors a provider that always fails to load; library callers get its type from
 * `ConfigInput` instead.
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, {
    io: 'input',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema === providerSchema) jsonSchema.oneOf = jsonSchema.oneOf?.filter(inFiles)
    },
  })
  return {
    ...schema,
    $id: 'https://shipgate.dev/schema/shipgate.schema.json',
    title: 'shipgate.yaml',
  }
}

function inFiles(option: z.core.JSONSchema._JSONSchema): boolean {
  if (typeof option === 'boolean') return true
  const type = option.properties?.type
  return typeof type !== 'object' || !LIBRARY_ONLY_PROVIDERS.has(String(type.const))
}

/** The schema file's text, as committed in `schema/shipgate.schema.json`. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`
}
