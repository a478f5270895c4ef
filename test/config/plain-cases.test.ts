import { describe, expect, it } from 'vitest'
import { plainCases } from '../../src/config/plain-cases.js'
import { caseSchema } from '../../src/config/schema.js'
import { seededRandom } from '../../src/utils/random.js'
import * as z from '../../src/utils/zod.js'

const casesSchema = z.array(caseSchema)

/** The hand check must give what the schema gives, or leave the list to it. */
function agree(list: unknown): 'plain' | 'schema' {
  const plain = plainCases(list)
  const parsed = casesSchema.safeParse(list)
  if (plain === undefined) return 'schema'
  expect(parsed.success, JSON.stringify(list)).toBe(true)
  expect(plain).toStrictEqual(parsed.data)
  // Same keys in the same order, so the cases hash and serialize alike either way.
  expect(JSON.stringify(plain)).toBe(JSON.stringify(parsed.data))
  return 'plain'
}

describe('plainCases', () => {
  it('gives what the case schema gives for plain cases, and copies what it keeps', () => {
    const vars = { n: 1, nested: { deep: [1, { x: null }] }, text: 'a "quoted" word' }
    const tags = ['smoke', 'fast']
    const list = [
      { id: 'a', vars, tags, description: 'first' },
      { vars: { b: 2 } },
      {},
      { id: 'c' },
      { tags: [] },
    ]
    expect(agree(list)).toBe('plain')
    const [first] = plainCases(list) ?? []
    expect(first?.vars).not.toBe(vars)
    expect(first?.tags).not.toBe(tags)
    expect(agree([])).toBe('plain')
  })

  it('leaves to the schema every list with a case it does not check by hand', () => {
    const others: unknown[] = [
      { id: 'a', assert: [{ type: 'contains', value: 'x' }] },
      { id: 'a', threshold: 0.5 },
      { id: 'a', repeat: 3 },
      { id: 'a', transform: 'output.trim()' },
      { id: '' },
      { id: 3 },
      { id: undefined },
      { description: 5 },
      { vars: null },
      { vars: [1, 2] },
      { vars: 'x' },
      { tags: 'smoke' },
      { tags: ['a', 1] },
      { unknown: true },
      null,
      'a case',
      [{ id: 'a' }],
      JSON.parse('{"vars": {"__proto__": {"polluted": true}}}') as unknown,
      Object.assign(Object.create(null) as object, { id: 'a' }),
      { vars: Object.assign(Object.create(null) as object, { a: 1 }) },
    ]
    for (const other of others) {
      expect(plainCases([{ id: 'fine' }, other])).toBeUndefined()
      agree([{ id: 'fine' }, other])
    }
    expect(plainCases({ id: 'a' })).toBeUndefined()
    expect(plainCases(undefined)).toBeUndefined()
  })

  it('agrees with the schema on 2,000 generated lists, plain and not', () => {
    const random = seededRandom(13)
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
    const values: unknown[] = ['', 'x', 0, 1.5, -2, true, null, [], ['a'], { a: 1 }, [1, 'b']]
    const keys = ['id', 'description', 'vars', 'tags', 'assert', 'threshold', 'extra']
    const field = (key: string): unknown => {
      if (random() < 0.7) {
        if (key === 'id' || key === 'description') return `${key}-${Math.floor(random() * 100)}`
        if (key === 'vars') return { n: random(), s: pick(values), list: [pick(values)] }
        if (key === 'tags') return ['t', `${Math.floor(random() * 9)}`]
        if (key === 'assert') return [{ type: 'is-json' }]
        if (key === 'threshold') return random()
      }
      return pick(values)
    }
    const counts = { plain: 0, schema: 0 }
    for (let i = 0; i < 2000; i++) {
      const list = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
        const kase: Record<string, unknown> = {}
        for (const key of keys)
          if (random() < (key === 'extra' ? 0.05 : 0.5)) kase[key] = field(key)
        return kase
      })
      counts[agree(list)] += 1
    }
    // Both paths are exercised, not only one.
    expect(counts.plain).toBeGreaterThan(100)
    expect(counts.schema).toBeGreaterThan(100)
  })
})
