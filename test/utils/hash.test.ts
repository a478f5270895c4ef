import { describe, expect, it } from 'vitest'
import { canonicalJson } from '../../src/utils/hash.js'

describe('canonicalJson', () => {
  it('sorts keys at every level and otherwise matches JSON.stringify', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 'x' }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":"x","z":1}]},"b":1}',
    )
    expect(canonicalJson({ a: undefined, b: () => 1, c: [undefined], d: new Date(0) })).toBe(
      JSON.stringify({ c: [null], d: new Date(0) }),
    )
    expect(canonicalJson('é\n"')).toBe(JSON.stringify('é\n"'))
    expect(canonicalJson(undefined)).toBe('null')
  })

  it('gives equal text for equal values written in another key order', () => {
    expect(canonicalJson({ x: 1, y: [{ p: 1, q: 2 }] })).toBe(
      canonicalJson({ y: [{ q: 2, p: 1 }], x: 1 }),
    )
  })
})
