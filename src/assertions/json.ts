import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from 'ajv'
import * as z from '../utils/zod.js'
import type { AssertionType, Check } from '../contracts/assertion.js'
import { ShipgateError } from '../errors.js'
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
  const { Ajv, addFormats } = await loadAjv()
  const ajv = new Ajv({ allErrors: true, strict: false })
  addFormats(ajv)
  try {
    return ajv.compile(schema as object)
  } catch (cause) {
    throw new ShipgateError('config', `invalid JSON Schema: ${(cause as Error).message}`, {
      hint: 'check the schema against https://json-schema.org (draft 2020-12 or 07)',
      cause,
    })
  }
}

/**
 * ajv and ajv-formats are CommonJS. Node's ESM loader and the CLI bundle present their exports
 * differently (named export, or everything under `default`), so take whichever is there.
 */
async function loadAjv(): Promise<{
  Ajv: typeof AjvClass
  addFormats: (ajv: AjvClass) => unknown
}> {
  const [ajvModule, formatsModule] = await Promise.all([import('ajv'), import('ajv-formats')])
  const ajv = ajvModule as unknown as { Ajv?: typeof AjvClass; default?: { Ajv?: typeof AjvClass } }
  const formats = formatsModule as unknown as { default: AddFormats | { default: AddFormats } }
  const Ajv = ajv.Ajv ?? ajv.default?.Ajv
  if (Ajv === undefined) throw new Error('ajv has no Ajv export')
  const addFormats =
    typeof formats.default === 'function' ? formats.default : formats.default.default
  return { Ajv, addFormats }
}

type AddFormats = (ajv: AjvClass) => unknown

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
