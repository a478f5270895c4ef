import { describe, expect, it } from 'vitest'
import { ShipgateError } from '../../src/errors.js'
import {
  baselineKey,
  emptyBaseline,
  hashSecret,
  parseBaseline,
  renderBaseline,
} from '../../src/scan/baseline.js'
import { fingerprint, parseIgnoreFile } from '../../src/scan/ignore.js'

describe('.gitleaksignore', () => {
  it('lists fingerprints, skipping blanks and comments, dropping a leading commit', () => {
    const commit = 'a'.repeat(40)
    const entries = parseIgnoreFile(
      [
        '# test fixtures, not secrets',
        '',
        '  src/a.ts:github/GITHUB_TOKEN:3  ',
        `${commit}:cassettes/x.jsonl:openai/OPENAI_TOKEN:12`,
        'C:/odd/path.ts:aws/AWSAccessKeyID:1',
      ].join('\r\n'),
    )
    expect([...entries]).toEqual([
      'src/a.ts:github/GITHUB_TOKEN:3',
      'cassettes/x.jsonl:openai/OPENAI_TOKEN:12',
      'C:/odd/path.ts:aws/AWSAccessKeyID:1',
    ])
    expect(entries.has(fingerprint('src/a.ts', 'github/GITHUB_TOKEN', 3))).toBe(true)
    expect(entries.has(fingerprint('src/a.ts', 'github/GITHUB_TOKEN', 4))).toBe(false)
  })
})

describe('the secrets baseline', () => {
  it('round-trips, sorted, holding salted hashes and no secret', () => {
    const baseline = emptyBaseline()
    const secret = 'ghp_not-really-a-token-but-long-enough'
    const entry = (file: string, line: number) => ({
      fingerprint: fingerprint(file, 'github/GITHUB_TOKEN', line),
      file,
      rule: 'github/GITHUB_TOKEN',
      secretHash: hashSecret(baseline.salt, secret),
    })
    const text = renderBaseline({ ...baseline, findings: [entry('b.ts', 1), entry('a.ts', 9)] })
    expect(text).not.toContain(secret)
    const back = parseBaseline(text, 'baseline.json')
    expect(back.findings.map((f) => f.file)).toEqual(['a.ts', 'b.ts'])
    expect(back.salt).toBe(baseline.salt)
  })

  it('hashes a secret differently under another salt, and keys on file, rule and secret', () => {
    const a = emptyBaseline()
    const b = emptyBaseline()
    expect(a.salt).not.toBe(b.salt)
    expect(hashSecret(a.salt, 'secret-value')).not.toBe(hashSecret(b.salt, 'secret-value'))
    expect(hashSecret(a.salt, 'secret-value')).toBe(hashSecret(a.salt, 'secret-value'))
    const key = { file: 'a.ts', rule: 'r', secretHash: hashSecret(a.salt, 'x') }
    expect(baselineKey(key)).toBe(baselineKey({ ...key }))
    expect(baselineKey(key)).not.toBe(baselineKey({ ...key, file: 'b.ts' }))
    expect(baselineKey(key)).not.toBe(baselineKey({ ...key, secretHash: hashSecret(a.salt, 'y') }))
  })

  it('rejects a file that is not a baseline with a config error naming it', () => {
    for (const text of ['{', '{"version":1}', JSON.stringify({ ...emptyBaseline(), extra: 1 })]) {
      let error: unknown
      try {
        parseBaseline(text, '.shipgate-secrets-baseline.json')
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(ShipgateError)
      expect((error as ShipgateError).code).toBe('config')
      expect((error as ShipgateError).message).toContain('.shipgate-secrets-baseline.json')
    }
  })
})
