import type { Ajv as AjvClass, ValidateFunction } from 'ajv'
import { ShipgateError } from '../errors.js'
import { DerivedCache } from '../utils/cache.js'
import { canonicalJson } from '../utils/hash.js'

/**
 * How many distinct compiled schemas the process keeps. A suite of thousands of cases usually
 * repeats a few dozen schemas; a plan holds the validators its checks use whatever the bound,
 * so the bound only limits what outlives a plan (the next `--watch` round, a library caller's
 * next run). See docs/decisions/0007-compiled-assertion-caches.md.
 */
const SCHEMA_LIMIT = 1000

/**
 * The process's one Ajv and its validators by canonical schema JSON, with the schema's JSON as
 * written in front of it: copies of one schema are usually written with their keys in the same
 * order, and `JSON.stringify` (native) costs a fraction of the canonical walk, which runs only
 * when the text as written is new.
 */
class SchemaCompiler {
  private readonly validators = new DerivedCache<string, ValidateFunction>(SCHEMA_LIMIT)
  private readonly byText = new DerivedCache<string, ValidateFunction>(SCHEMA_LIMIT)

  constructor(private readonly ajv: AjvClass) {}

  compile(schema: unknown): ValidateFunction {
    return this.byText.get(JSON.stringify(schema), () =>
      this.validators.get(canonicalJson(schema), () => this.fresh(schema)),
    )
  }

  private fresh(schema: unknown): ValidateFunction {
    try {
      return this.ajv.compile(schema as object)
    } catch (cause) {
      throw new ShipgateError('config', `invalid JSON Schema: ${(cause as Error).message}`, {
        hint: 'check the schema against https://json-schema.org (draft 2020-12 or 07)',
        cause,
      })
    } finally {
      // The validator stands alone once compiled. Ajv would otherwise keep every schema it
      // compiled (unbounded) and refuse a second, different schema with the same `$id`.
      if (typeof schema === 'object' && schema !== null) this.ajv.removeSchema(schema)
    }
  }
}

// Made on first use: building an Ajv compiles its meta-schemas (tens of milliseconds), which
// was most of the cost when every assertion built its own. Content-keyed, so never stale.
let compiler: Promise<SchemaCompiler> | undefined

/**
 * The validator of a JSON Schema, compiled once per distinct content (key order does not
 * matter) by the process's one Ajv (all errors, formats, not strict). Throws a config error
 * for an invalid schema.
 */
export async function compileSchema(schema: unknown): Promise<ValidateFunction> {
  compiler ??= loadAjv().then(({ Ajv, addFormats }) => {
    // Ajv's optimization passes over the generated code were half the compile time; the
    // validators they would speed up run in microseconds either way.
    const ajv = new Ajv({ allErrors: true, strict: false, code: { optimize: false } })
    addFormats(ajv)
    return new SchemaCompiler(ajv)
  })
  return (await compiler).compile(schema)
}

type AddFormats = (ajv: AjvClass) => unknown

/**
 * ajv and ajv-formats are CommonJS. Node's ESM loader and the CLI bundle present their exports
 * differently (named export, or everything under `default`), so take whichever is there.
 */
async function loadAjv(): Promise<{ Ajv: typeof AjvClass; addFormats: AddFormats }> {
  const [ajvModule, formatsModule] = await Promise.all([import('ajv'), import('ajv-formats')])
  const ajv = ajvModule as unknown as { Ajv?: typeof AjvClass; default?: { Ajv?: typeof AjvClass } }
  const formats = formatsModule as unknown as { default: AddFormats | { default: AddFormats } }
  const Ajv = ajv.Ajv ?? ajv.default?.Ajv
  if (Ajv === undefined) throw new Error('ajv has no Ajv export')
  const addFormats =
    typeof formats.default === 'function' ? formats.default : formats.default.default
  return { Ajv, addFormats }
}
