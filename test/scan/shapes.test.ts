import { describe, expect, it } from 'vitest'
import { createSecretEngine } from '../../src/scan/engine.js'
import { seededRandom } from '../../src/utils/random.js'
import { createRedactor } from '../../src/utils/redact.js'

/**
 * Realistic key shapes for every provider the scanner knows, bodies with `-` and `_` as real
 * keys have them. Built at run time so that no file of this repository holds one (shipgate
 * scans itself). The scanner and the redactor must both know every one of them.
 */
const random = seededRandom(23)
const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const ALNUM = URLSAFE.slice(0, 62)
function chars(n: number, alphabet = URLSAFE): string {
  let out = Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)])
  // Real bodies have both; make sure each of these has a dash and an underscore.
  if (alphabet === URLSAFE && n > 10)
    out = [...out.slice(0, 3), '-', ...out.slice(4, 7), '_', ...out.slice(8)]
  return out.join('')
}
const MARK = ['T3Blbk', 'FJ'].join('')
const sk = (kind: string) => ['sk', kind].filter((p) => p !== '').join('-')

const SHAPES: readonly (readonly [string, string])[] = [
  ['OpenAI legacy', `${sk('')}-${chars(20, ALNUM)}${MARK}${chars(20, ALNUM)}`],
  ['OpenAI project', `${sk('proj')}-${chars(74)}${MARK}${chars(73)}-`],
  ['OpenAI project, long', `${sk('proj')}-${chars(156)}`],
  ['OpenAI service account', `${sk('svcacct')}-${chars(74)}${MARK}${chars(74)}`],
  ['OpenAI service account, long', `${sk('svcacct')}-${chars(140)}_`],
  ['OpenAI admin', `${sk('admin')}-${chars(58)}${MARK}${chars(57)}_`],
  ['OpenAI admin, long', `${sk('admin')}-${chars(120)}`],
  ['Anthropic', `${sk('ant')}-api03-${chars(93)}AA`],
  ['Anthropic admin', `${sk('ant')}-admin01-${chars(93)}AA`],
  ['AWS access key id', `${'AK'}IA${chars(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`],
  ['GitHub token', `${'gh'}p_${chars(36, ALNUM)}`],
  [
    'Slack bot token',
    `${'xo'}xb-${chars(11, '0123456789')}-${chars(12, '0123456789')}-${chars(24, ALNUM)}`,
  ],
]

describe('realistic key shapes', () => {
  const engine = createSecretEngine()

  it.each(SHAPES)('the scan finds %s, whole, once', async (_name, key) => {
    const found = await engine.scan('src/settings.ts', `export const key = "${key}"\n`)
    expect(found.map((f) => f.secret)).toEqual([key])
  })

  it.each(SHAPES)('the redactor knows %s', (_name, key) => {
    expect(createRedactor().text(`key=${key};`)).toBe('key=[REDACTED];')
  })
})
