/** A kind of credential, by its shape. */
export interface SecretShape {
  /** The secret scan's rule id for it, e.g. `shipgate/OPENAI_API_KEY`. */
  readonly id: string
  /** What it is, with an article, for messages: "an OpenAI API key". */
  readonly name: string
  readonly pattern: RegExp
  /** Whether `shipgate scan` reports it; a shape that needs context (a bearer header) is for redaction only. */
  readonly scan: boolean
}

/**
 * Shapes of credentials shipgate refuses to write anywhere (config, cassettes, results, logs):
 * the one list the redactor and the secret scan share. The scan runs secretlint's rule set as
 * well and reports what these find beyond it (OpenAI keys whose body has `-` or `_`, Anthropic
 * admin keys); this list is what the hot paths can afford: checking config values and
 * redacting what is recorded and printed.
 */
export const SECRET_SHAPES: readonly SecretShape[] = [
  shape('ANTHROPIC_API_KEY', 'an Anthropic API key', /\bsk-ant-[A-Za-z0-9_-]{20,}/g),
  shape(
    'OPENAI_API_KEY',
    'an OpenAI API key',
    /\bsk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}/g,
  ),
  // secretlint's AWS rule knows AWS's documented example ids; this shape does not.
  {
    ...shape('AWS_ACCESS_KEY_ID', 'an AWS access key id', /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g),
    scan: false,
  },
  shape('GITHUB_TOKEN', 'a GitHub token', /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_\w{50,})/g),
  shape('SLACK_TOKEN', 'a Slack token', /\bxox[abprs]-[A-Za-z0-9-]{10,}/g),
  {
    ...shape('BEARER_TOKEN', 'a bearer token', /\bBearer\s+[A-Za-z0-9._~+/-]{20,}=*/g),
    scan: false,
  },
]

function shape(id: string, name: string, pattern: RegExp): SecretShape {
  return { id: `shipgate/${id}`, name, pattern, scan: true }
}

/** The name of the first secret shape `text` contains, if any. */
export function findSecret(text: string): string | undefined {
  return SECRET_SHAPES.find(({ pattern }) => {
    pattern.lastIndex = 0
    return pattern.test(text)
  })?.name
}

/** All the shapes as one pattern: one pass over each string instead of one per shape. */
const ANY_SECRET = new RegExp(SECRET_SHAPES.map(({ pattern }) => pattern.source).join('|'), 'g')

/** `text` with every secret-shaped part, and every one of `known` values, replaced. */
export function redactText(text: string, known: readonly string[] = []): string {
  let out = text
  for (const value of known) {
    if (value.length >= 8 && out.includes(value)) out = out.split(value).join('[REDACTED]')
  }
  return out.replace(ANY_SECRET, '[REDACTED]')
}

/**
 * A JSON value with every string redacted by {@link redactText}. Only arrays and plain objects
 * are copied, and only where something inside them changed: a value with no secret comes back
 * as itself (the common case, on every sample a run keeps). Any other object (a Date, a
 * Buffer) is kept as it is.
 */
export function redactJson(value: unknown, known: readonly string[] = []): unknown {
  if (typeof value === 'string') return redactText(value, known)
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i]
      const redacted = redactJson(item, known)
      if (redacted !== item) {
        copy ??= [...(value as unknown[])]
        copy[i] = redacted
      }
    }
    return copy ?? value
  }
  if (isPlainObject(value)) {
    let copy: Record<string, unknown> | undefined
    for (const key of Object.keys(value)) {
      const field = value[key]
      const redacted = redactJson(field, known)
      if (redacted !== field) {
        copy ??= { ...value }
        copy[key] = redacted
      }
    }
    return copy ?? value
  }
  return value
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

/**
 * How a secret is shown when it must be pointed at (the secret scan's findings): its first 4
 * characters, `…`, and its last 2, so its owner recognizes it and nobody can use it. Shorter
 * secrets show less: 2 + 1 characters under 16, nothing under 8. Control characters (the line
 * breaks of a private key) are shown as spaces.
 */
export function maskSecret(secret: string): string {
  const chars = [...secret].map((c) => (c < ' ' || c === '\u007f' ? ' ' : c))
  if (chars.length < 8) return '…'
  const [head, tail] = chars.length >= 16 ? [4, 2] : [2, 1]
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`
}
