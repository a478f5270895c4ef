import { describe, expect, it } from 'vitest'
import { formatShard, inShard, parseShard, shardOf } from '../../src/core/eval/shard.js'

const ids = (n: number) => Array.from({ length: n }, (_, i) => `case-${i}`)

describe('shardOf', () => {
  it('is a fixed function of the suite and case id (sha256, first 8 hex digits, mod n)', () => {
    // Pinned: a change here would move cases between the shards of CI jobs already set up.
    expect(shardOf('smoke', 'a', 4)).toBe(1)
    expect(shardOf('smoke', 'b', 4)).toBe(3)
    expect(shardOf('smoke', 'a', 7)).toBe(5)
    expect(shardOf('smoke', 'a', 1)).toBe(1)
  })

  it('depends on the suite as well as the id', () => {
    const moved = ids(100).filter((id) => shardOf('a', id, 4) !== shardOf('b', id, 4))
    expect(moved.length).toBeGreaterThan(50)
  })

  it.each([1, 2, 3, 4, 7, 16])('puts every case in exactly one of %i shards', (n) => {
    for (const id of ids(300)) {
      const shards = Array.from({ length: n }, (_, i) => i + 1).filter((index) =>
        inShard({ index, count: n }, 'suite', id),
      )
      expect(shards).toEqual([shardOf('suite', id, n)])
    }
  })

  it('balances 1,000 ids over 4 shards roughly evenly', () => {
    const sizes = [0, 0, 0, 0]
    for (const id of ids(1000)) sizes[shardOf('suite', id, 4) - 1]! += 1
    for (const size of sizes) expect(size).toBeGreaterThan(200)
    for (const size of sizes) expect(size).toBeLessThan(300)
  })

  it('keeps every case with no shard', () => {
    expect(inShard(undefined, 'suite', 'anything')).toBe(true)
  })
})

describe('parseShard', () => {
  it.each([
    ['1/1', { index: 1, count: 1 }],
    ['2/4', { index: 2, count: 4 }],
    [' 4 / 4 ', { index: 4, count: 4 }],
  ])('reads %j', (text, shard) => {
    expect(parseShard(text)).toEqual(shard)
    expect(formatShard(shard)).toBe(text.replaceAll(' ', ''))
  })

  it.each(['0/4', '5/4', '2', '2/0', '-1/4', '1.5/4', 'a/b', '2/4/8', ''])('refuses %j', (text) => {
    expect(parseShard(text)).toBeUndefined()
  })
})
