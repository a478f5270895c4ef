import { describe, expect, it } from 'vitest'
import { encodingProblem } from '../../src/config/text.js'

const text = 'version: 1\nproviders: {}\n'

describe('encodingProblem (issue 14: 5)', () => {
  it('accepts UTF-8, with or without a byte-order mark', () => {
    expect(encodingProblem(Buffer.from(`${text}café ✓\n`), 'a.yaml')).toBeUndefined()
    expect(encodingProblem(Buffer.from(`\ufeff${text}`), 'a.yaml')).toBeUndefined()
  })

  it('names UTF-16 and UTF-32, with a byte-order mark or without one', () => {
    const le = Buffer.from(text, 'utf16le')
    const be = Buffer.from(le).swap16()
    const cases: [Buffer, string][] = [
      [Buffer.concat([Buffer.from([0xff, 0xfe]), le]), 'UTF-16 (little-endian)'],
      [Buffer.concat([Buffer.from([0xfe, 0xff]), be]), 'UTF-16 (big-endian)'],
      [le, 'UTF-16 (little-endian)'],
      [be, 'UTF-16 (big-endian)'],
      [Buffer.from([0xff, 0xfe, 0, 0, 0x76, 0, 0, 0]), 'UTF-32 (little-endian)'],
      [Buffer.from([0, 0, 0xfe, 0xff, 0, 0, 0, 0x76]), 'UTF-32 (big-endian)'],
    ]
    for (const [bytes, name] of cases) {
      expect(encodingProblem(bytes, 'a.yaml')).toMatchObject({
        message: `a.yaml is ${name}, which shipgate does not read`,
        hint: expect.stringContaining('save it as UTF-8') as string,
      })
    }
  })

  it('calls a file with NUL bytes binary, and names the line of the first byte that is not UTF-8', () => {
    expect(
      encodingProblem(Buffer.from([0x61, 0, 0x62, 0x63, 0x64, 0, 0]), 'a.jsonl')?.message,
    ).toBe('a.jsonl holds NUL bytes: it is a binary file, not text')
    const latin1 = Buffer.from('a: 1\nb: 2\nc: caf\xe9\n', 'latin1')
    expect(encodingProblem(latin1, 'a.yaml')).toMatchObject({
      line: 3,
      message: 'a.yaml is not UTF-8 (byte 17 is not valid UTF-8; Latin-1 or Windows-1252?)',
    })
  })
})
