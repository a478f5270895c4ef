import * as z from '../utils/zod.js'
import { configSchema } from './schema.js'

/** The JSON Schema of `shipgate.yaml`, generated from the zod schema (what a user may write). */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' })
  return {
    ...schema,
    $id: 'https://shipgate.dev/schema/shipgate.schema.json',
    title: 'shipgate.yaml',
  }
}

/** The schema file's text, as committed in `schema/shipgate.schema.json`. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`
}
