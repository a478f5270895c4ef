import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { INIT_FILES } from '../../src/workflows/init/template.js'
import { configJsonSchema, configJsonSchemaText } from '../../src/config/json-schema.js'

const committed = readFileSync(
  new URL('../../schema/shipgate.schema.json', import.meta.url),
  'utf8',
)

describe('schema/shipgate.schema.json', () => {
  it('is generated from the zod schema (run `npm run schema` when this fails)', () => {
    expect(committed).toBe(configJsonSchemaText())
  })

  it('is a valid JSON Schema that accepts the configs shipgate writes and rejects unknown keys', () => {
    const validate = new Ajv2020({ strict: false }).compile(configJsonSchema())
    const init = parse(INIT_FILES['shipgate.yaml'] ?? '') as Record<string, unknown>
    const demo = parse(
      readFileSync(new URL('../../examples/code-review/shipgate.yaml', import.meta.url), 'utf8'),
    ) as unknown
    expect(validate(init), JSON.stringify(validate.errors)).toBe(true)
    expect(validate(demo), JSON.stringify(validate.errors)).toBe(true)
    expect(validate({ ...init, gatez: {} })).toBe(false)
  })
})
