import { readFileSync } from 'node:fs'
import { Ajv, type ErrorObject } from 'ajv'
import addFormatsModule from 'ajv-formats'

/**
 * The OASIS SARIF 2.1.0 JSON Schema (draft-07), vendored in test/fixtures/sarif/ (see its
 * README for where it came from), compiled with ajv 8 and its formats (uri, date-time).
 */
const schema = JSON.parse(
  readFileSync(new URL('../fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url), 'utf8'),
) as Record<string, unknown>

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv
const ajv = new Ajv({ allErrors: true, strict: false })
addFormats(ajv)
const validate = ajv.compile(schema)

/** The schema violations of a SARIF log (an empty list when it is valid). */
export function sarifErrors(log: unknown): string[] {
  if (validate(log)) return []
  return (validate.errors ?? []).map(
    (e: ErrorObject) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`,
  )
}
