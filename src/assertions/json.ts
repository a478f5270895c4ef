import type { ErrorObject, ValidateFunction } from 'ajv'
import * as z from '../utils/zod.js'
import type { AssertionType, Check } from '../contracts/assertion.js'
import { compileSchema } from './schema-compiler.js'
import { isFileRef, loadDataRef, parseJson, verdict } from './shared.js'

/** A JSON Schema inline, or `file://schema.json` (or `.yaml`). */
const schemaValue = z.union([
  z.record(z.string(), z.unknown()),
  z
    .string()
    .check(z.refine(isFileRef, { message: 'expected a JSON Schema object or a file:// path' })),
])

type SchemaValue = z.output<typeof schemaValue>

async function compile(value: SchemaValue, baseDir: string): Promise<ValidateFunction> {
  const schema = isFileRef(value) ? await loadDataRef(value, baseDir) : value
  return compileSchema(schema)
}

function schemaCheck(validate: ValidateFunction | undefined): Check {
  return ({ output }) => {
    const parsed = parseJson(output)
    if (!parsed.ok) return verdict(false, parsed.reason)
    if (validate === undefined) return verdict(true, 'output is valid JSON')
    if (validate(parsed.value)) return verdict(true, 'output is JSON that matches the schema')
    return verdict(
      false,
      `output JSON does not match the schema: ${describe(validate.errors ?? [])}`,
    )
  }
}

function describe(errors: readonly ErrorObject[]): string {
  return errors
    .slice(0, 3)
    .map((e) => `${e.instancePath === '' ? '(root)' : e.instancePath} ${e.message ?? 'is invalid'}`)
    .join('; ')
}

/** `is-json`: the output parses as JSON; with a value, it also matches that JSON Schema. */
export const isJson: AssertionType<SchemaValue | undefined> = {
  type: 'is-json',
  negatable: true,
  value: z.optional(schemaValue),
  async prepare(value, _spec, context) {
    return schemaCheck(value === undefined ? undefined : await compile(value, context.baseDir))
  },
}

/** `json-schema`: the output is JSON matching the schema (validated with ajv). */
export const jsonSchema: AssertionType<SchemaValue> = {
  type: 'json-schema',
  negatable: true,
  value: schemaValue,
  async prepare(value, _spec, context) {
    return schemaCheck(await compile(value, context.baseDir))
  },
}
