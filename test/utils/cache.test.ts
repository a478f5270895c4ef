import { describe, expect, it } from 'vitest'
import { DerivedCache } from '../../src/utils/cache.js'

describe('DerivedCache', () => {
  it('derives a value once per key', () => {
    const cache = new DerivedCache<string, number>(10)
    let made = 0
    const make = (key: string) => (made++, key.length)
    expect(cache.get('abc', make)).toBe(3)
    expect(cache.get('abc', make)).toBe(3)
    expect(made).toBe(1)
  })

  it('drops the least recently used entry past its bound', () => {
    const cache = new DerivedCache<string, string>(2)
    const made: string[] = []
    const make = (key: string) => (made.push(key), key.toUpperCase())
    cache.get('a', make)
    cache.get('b', make)
    cache.get('a', make) // a is now the most recent
    cache.get('c', make) // drops b
    expect(cache.size).toBe(2)
    cache.get('a', make)
    cache.get('b', make)
    expect(made).toEqual(['a', 'b', 'c', 'b'])
  })
})
