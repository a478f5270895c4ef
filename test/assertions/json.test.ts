import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configError, grade, tempDir } from './support.js'

const personSchema = {
  type: 'object',
  required: ['name', 'age'],
  properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } },
}

const yamlSchema = `type: object
required: [email]
properties:
  email: { type: string, format: email }
`

let fixtures: ReturnType<typeof tempDir>
beforeAll(() => {
  fixtures = tempDir({
    'person.json': JSON.stringify(personSchema),
    'email.yaml': yamlSchema,
    'broken.json': '{ "type": ',
  })
})
afterAll(() => fixtures.remove())

describe('is-json', () => {
  it('passes on any JSON document without a schema', async () => {
    for (const output of ['{"a":1}', '[1,2]', '"text"', '3', 'null']) {
      const g = await grade({ type: 'is-json' }, output)
      expect(g).toEqual({ pass: true, score: 1, reason: 'output is valid JSON' })
    }
  })

  it('fails on text that is not JSON, with the parser message', async () => {
    const g = await grade({ type: 'is-json' }, '{"a": 1,}')
    expect(g.pass).toBe(false)
    expect(g.score).toBe(0)
    expect(g.reason).toMatch(/^output is not valid JSON \(.+\)$/)
  })

  it('checks an inline schema', async () => {
    const ok = await grade({ type: 'is-json', value: personSchema }, '{"name":"Ada","age":36}')
    expect(ok).toEqual({ pass: true, score: 1, reason: 'output is JSON that matches the schema' })
    const bad = await grade({ type: 'is-json', value: personSchema }, '{"name":"Ada","age":-1}')
    expect(bad.pass).toBe(false)
    expect(bad.score).toBe(0)
    expect(bad.reason).toBe('output JSON does not match the schema: /age must be >= 0')
  })

  it('checks a file:// schema resolved against the base directory', async () => {
    const spec = { type: 'is-json', value: 'file://person.json' }
    expect((await grade(spec, '{"name":"Ada","age":36}', {}, fixtures.dir)).pass).toBe(true)
    const bad = await grade(spec, '{"age":"old"}', {}, fixtures.dir)
    expect(bad.pass).toBe(false)
    expect(bad.reason).toContain("(root) must have required property 'name'")
    expect(bad.reason).toContain('/age must be integer')
  })

  it('rejects a string value that is not a file:// path', async () => {
    const error = await configError({ type: 'is-json', value: 'person.json' })
    expect(error.message).toBe(
      'invalid value for is-json: expected a JSON Schema object or a file:// path',
    )
  })
})

describe('json-schema', () => {
  it('passes JSON that matches an inline schema', async () => {
    const g = await grade({ type: 'json-schema', value: personSchema }, '{"name":"Ada","age":3}')
    expect(g).toEqual({ pass: true, score: 1, reason: 'output is JSON that matches the schema' })
  })

  it('fails JSON that does not match, listing at most three errors', async () => {
    const schema = {
      type: 'object',
      properties: {
        a: { type: 'string' },
        b: { type: 'string' },
        c: { type: 'string' },
        d: { type: 'string' },
      },
    }
    const g = await grade({ type: 'json-schema', value: schema }, '{"a":1,"b":2,"c":3,"d":4}')
    expect(g.pass).toBe(false)
    expect(g.score).toBe(0)
    expect(g.reason).toBe(
      'output JSON does not match the schema: /a must be string; /b must be string; /c must be string',
    )
  })

  it('fails output that is not JSON before checking the schema', async () => {
    const g = await grade({ type: 'json-schema', value: personSchema }, 'Ada, 36')
    expect(g.pass).toBe(false)
    expect(g.reason).toMatch(/^output is not valid JSON/)
  })

  it('reads a file:// JSON schema', async () => {
    const spec = { type: 'json-schema', value: 'file://person.json' }
    expect((await grade(spec, '{"name":"Ada","age":1}', {}, fixtures.dir)).pass).toBe(true)
    expect((await grade(spec, '{"name":"Ada"}', {}, fixtures.dir)).reason).toBe(
      "output JSON does not match the schema: (root) must have required property 'age'",
    )
  })

  it('reads a file:// YAML schema, with ajv formats available', async () => {
    const spec = { type: 'json-schema', value: 'file://email.yaml' }
    expect((await grade(spec, '{"email":"ada@example.com"}', {}, fixtures.dir)).pass).toBe(true)
    const bad = await grade(spec, '{"email":"not an address"}', {}, fixtures.dir)
    expect(bad.pass).toBe(false)
    expect(bad.reason).toBe(
      'output JSON does not match the schema: /email must match format "email"',
    )
  })

  it('accepts an absolute file:// path', async () => {
    const spec = { type: 'json-schema', value: `file://${fixtures.dir}/person.json` }
    expect((await grade(spec, '{"name":"Ada","age":1}')).pass).toBe(true)
  })

  it('throws a config error for a missing schema file', async () => {
    const error = await configError(
      { type: 'json-schema', value: 'file://nope.json' },
      fixtures.dir,
    )
    expect(error.message).toContain('cannot read')
    expect(error.message).toContain('nope.json')
  })

  it('throws a config error for a schema file that does not parse', async () => {
    const error = await configError(
      { type: 'json-schema', value: 'file://broken.json' },
      fixtures.dir,
    )
    expect(error.message).toMatch(/^cannot parse .*broken\.json: /)
    expect(error.cause).toBeInstanceOf(SyntaxError)
  })

  it('throws a config error for a YAML schema file that does not parse', async () => {
    const bad = tempDir({ 'bad.yml': 'type: [object\n' })
    try {
      const error = await configError({ type: 'is-json', value: 'file://bad.yml' }, bad.dir)
      expect(error.message).toMatch(/^cannot parse .*bad\.yml: /)
    } finally {
      bad.remove()
    }
  })

  it('throws a config error for a schema ajv cannot compile', async () => {
    const error = await configError({ type: 'json-schema', value: { type: 'no-such-type' } })
    expect(error.message).toMatch(/^invalid JSON Schema: /)
  })

  it('requires a value', async () => {
    const error = await configError({ type: 'json-schema' })
    expect(error.message).toMatch(/^invalid value for json-schema/)
  })
})
