import { extname } from 'node:path'
import { lintSource } from '@secretlint/core'
import { secretLintProfiler } from '@secretlint/profiler'
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend'
import { maskSecret, SECRET_SHAPES } from '../utils/secrets.js'
import { ruleId, secretRule, type SecretRule } from './rules.js'
import { lineIndex } from './positions.js'

type LintConfig = Parameters<typeof lintSource>[0]['options']['config']
type LintMessage = Awaited<ReturnType<typeof lintSource>>['messages'][number]

/**
 * A secret found in a text, before suppression. It holds the secret itself, so it lives only in
 * memory while a scan runs: {@link toFinding} in workflows/scan/ turns it into a finding that does not.
 */
export interface DetectedSecret {
  readonly rule: SecretRule
  /** The secret itself: hash it or mask it, never print or store it. */
  readonly secret: string
  /** 1-based line and column (UTF-16 code units) of its first character. */
  readonly line: number
  readonly column: number
  /** The position just after its last character. */
  readonly endLine: number
  readonly endColumn: number
  /** The rule's message with the secret masked. */
  readonly message: string
}

/** Finds secrets in texts with secretlint's recommended preset, in process. */
export interface SecretEngine {
  /** The secrets in `text`; `file` (any path) tells the rules its name and extension. */
  scan(file: string, text: string): Promise<DetectedSecret[]>
}

/** The keys under which secretlint's rules pass the matched secret to their messages. */
const SECRET_KEYS = new Set(['KEY', 'TOKEN', 'ID', 'URL', 'URI', 'CREDENTIAL'])

const CONFIG: LintConfig = {
  rules: [
    {
      id: recommended.meta.id,
      rule: recommended,
      // Access key ids are opt-in in secretlint; a leaked id is worth knowing about. Account
      // ids are not secrets.
      rules: [
        {
          id: '@secretlint/secretlint-rule-aws',
          options: { enableIDScanRule: true },
          allowMessageIds: ['AWSAccountID'],
        },
      ],
    },
  ],
}

/** The secretlint engine with the recommended preset (AWS access key ids included). */
export function createSecretEngine(): SecretEngine {
  quietProfiler()
  return {
    async scan(file, text) {
      const result = await lintSource({
        source: { content: text, filePath: file, ext: extname(file), contentType: 'text' },
        options: { config: CONFIG, noPhysicFilePath: true },
      })
      const lines = lineIndex(text)
      const found = result.messages.map((message) => {
        const [start, end] = secretRange(message, text)
        const secret = text.slice(start, end)
        return {
          rule: secretRule(ruleId(message.ruleId, message.messageId)),
          secret,
          ...lines.position(start),
          ...endOf(lines.position(end)),
          message: maskedMessage(message, secret),
          range: [start, end] as const,
        }
      })
      const more = shapeFindings(
        text,
        found.map((f) => f.range),
      ).map(({ start, end, shape }) => {
        const secret = text.slice(start, end)
        return {
          rule: secretRule(shape),
          secret,
          ...lines.position(start),
          ...endOf(lines.position(end)),
          message: `found ${secretRule(shape).title}: ${maskSecret(secret)}`,
          range: [start, end] as const,
        }
      })
      return [...found, ...more]
        .sort((a, b) => a.range[0] - b.range[0])
        .map(({ range: _range, ...finding }) => finding)
    },
  }
}

/**
 * The secrets shipgate's own shapes (the redactor's list) find that secretlint's rules did not
 * (`taken`: the ranges they found), first shape first where two overlap.
 */
function shapeFindings(
  text: string,
  taken: readonly (readonly [number, number])[],
): { start: number; end: number; shape: string }[] {
  const ranges = [...taken]
  const found: { start: number; end: number; shape: string }[] = []
  for (const shape of SECRET_SHAPES.filter((s) => s.scan)) {
    for (const match of text.matchAll(new RegExp(shape.pattern.source, 'g'))) {
      const start = match.index
      const end = start + match[0].length
      if (ranges.some(([a, b]) => start < b && a < end)) continue
      ranges.push([start, end])
      found.push({ start, end, shape: shape.id })
    }
  }
  return found
}

/**
 * Where the secret is. Usually the reported range; but some rules report the start of the whole
 * match with the length of the secret (the AWS secret key's `AWS_SECRET_ACCESS_KEY=` prefix), so
 * when a message's value is not the ranged text, the value is looked up from the range's start.
 */
function secretRange(message: LintMessage, text: string): readonly [number, number] {
  const [start, end] = message.range
  for (const value of secretValues(message)) {
    if (text.slice(start, end) === value) break
    const at = text.indexOf(value, start)
    if (at !== -1 && at <= end) return [at, at + value.length]
  }
  return [start, end]
}

function secretValues(message: LintMessage): string[] {
  const data = (message.data ?? {}) as Record<string, unknown>
  return Object.entries(data).flatMap(([key, value]) =>
    SECRET_KEYS.has(key) && typeof value === 'string' && value !== '' ? [value] : [],
  )
}

/** secretlint's message (which quotes the secret) with every quoted value masked. */
function maskedMessage(message: LintMessage, secret: string): string {
  let text = message.message
  for (const value of [secret, ...secretValues(message)]) {
    if (value !== '') text = text.split(value).join(maskSecret(value))
  }
  return text
}

function endOf(position: { line: number; column: number }): { endLine: number; endColumn: number } {
  return { endLine: position.line, endColumn: position.column }
}

/**
 * secretlint 12's profiler marks every rule of every file and keeps every mark in an array it
 * searches on each new one: 2,000 files take 38 s instead of 0.6 s (secretlint issues #1633
 * and #1653, fixed in a 13.x release, which needs Node 22). Nothing reads the profile here.
 */
function quietProfiler(): void {
  secretLintProfiler.mark = () => undefined
}
