import { describe, expect, it } from 'vitest'
import { createSecretEngine } from '../../src/scan/engine.js'
import { lineIndex } from '../../src/scan/positions.js'
import { secretRule, secretRules } from '../../src/scan/rules.js'
import { maskSecret } from '../../src/utils/secrets.js'
import { plantedSecrets } from '../helpers/secrets.js'

const s = plantedSecrets(7)
const engine = createSecretEngine()

/** 1-based line and column of `needle` in `text`. */
function at(text: string, needle: string): { line: number; column: number } {
  const offset = text.indexOf(needle)
  const before = text.slice(0, offset).split('\n')
  return { line: before.length, column: (before.at(-1) ?? '').length + 1 }
}

describe('the secretlint engine', () => {
  const text = [
    `const anthropic = "${s.anthropic}"`,
    `  openai: '${s.openai}',`,
    `AWS_ACCESS_KEY_ID=${s.awsKeyId}`,
    `AWS_SECRET_ACCESS_KEY="${s.awsSecret}"`,
    `token = ${s.github}`,
    '',
  ].join('\n')

  it('finds Anthropic, OpenAI, AWS and GitHub credentials at their exact place', async () => {
    const found = await engine.scan('src/config.ts', text)
    const expected = [
      ['anthropic/ANTHROPIC_API_KEY', s.anthropic],
      ['openai/OPENAI_TOKEN', s.openai],
      ['aws/AWSAccessKeyID', s.awsKeyId],
      ['aws/AWSSecretAccessKey', s.awsSecret],
      ['github/GITHUB_TOKEN', s.github],
    ] as const
    expect(found.map((f) => [f.rule.id, f.secret])).toEqual(expected)
    for (const [i, [, secret]] of expected.entries()) {
      const start = at(text, secret)
      expect(found[i]).toMatchObject({
        line: start.line,
        column: start.column,
        endLine: start.line,
        endColumn: start.column + secret.length,
      })
    }
  })

  it('points at the AWS secret key itself, not at the variable name before it', async () => {
    const [found] = await engine.scan('.env', `AWS_SECRET_ACCESS_KEY=${s.awsSecret}\n`)
    expect(found).toMatchObject({ secret: s.awsSecret, column: 23, endColumn: 63 })
  })

  it('masks the secret in the rule message', async () => {
    const found = await engine.scan('src/config.ts', text)
    for (const f of found) {
      expect(f.message).not.toContain(f.secret)
      expect(f.message).toContain(maskSecret(f.secret))
    }
    expect(found[0]?.message).toBe(`found Anthropic Claude API key: ${maskSecret(s.anthropic)}`)
  })

  it('leaves alone ordinary code, AWS account ids and the documented example key', async () => {
    const clean = [
      'export const add = (a: number, b: number) => a + b',
      'aws_account_id = "1234-5678-9012"',
      'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE',
      'const apiKey = process.env.ANTHROPIC_API_KEY',
    ].join('\n')
    expect(await engine.scan('src/ok.ts', clean)).toEqual([])
  })
})

describe('secret rules', () => {
  it('name each kind of secret from secretlint message, with a severity and docs', () => {
    expect(secretRule('github/GITHUB_TOKEN')).toMatchObject({
      title: 'GitHub Token',
      severity: '9.0',
      helpUri: expect.stringContaining('secretlint-rule-github') as unknown,
    })
    expect(secretRule('anthropic/ANTHROPIC_API_KEY').title).toBe('Anthropic Claude API key')
    expect(secretRule('aws/AWSAccessKeyID')).toMatchObject({
      title: 'AWS Access Key ID',
      severity: '7.0',
    })
    expect(secretRules().size).toBeGreaterThan(30)
    for (const rule of secretRules().values()) {
      expect(rule.id).not.toContain(':')
      expect(rule.title).not.toMatch(/^found /)
      expect(rule.title.includes('\u0000')).toBe(false)
    }
  })
})

describe('maskSecret', () => {
  it('shows the first 4 and last 2 characters, fewer of short secrets, none of tiny ones', () => {
    expect(maskSecret(s.github)).toBe(`ghp_…${s.github.slice(-2)}`)
    expect(maskSecret('abcdefghijklmnop')).toBe('abcd…op')
    expect(maskSecret('abcdefghij')).toBe('ab…j')
    expect(maskSecret('abcdefg')).toBe('…')
    expect(maskSecret('-----BEGIN\nKEY\n-----END-')).toBe('----…D-')
    expect(maskSecret('\n\n\n\nabcdefghijklmnop')).toBe('    …op')
  })
})

describe('lineIndex', () => {
  it('maps offsets to 1-based lines and columns across \\n, \\r\\n and \\r', () => {
    const index = lineIndex('ab\r\ncd\ref\ngh')
    expect(index.position(0)).toEqual({ line: 1, column: 1 })
    expect(index.position(5)).toEqual({ line: 2, column: 2 })
    expect(index.position(7)).toEqual({ line: 3, column: 1 })
    expect(index.position(11)).toEqual({ line: 4, column: 2 })
  })
})
