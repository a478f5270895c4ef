import { rules as presetRules } from '@secretlint/secretlint-rule-preset-recommend'
import { SECRET_SHAPES } from '../utils/secrets.js'

/** What shipgate says about one kind of secret (a secretlint rule and one of its messages). */
export interface SecretRule {
  /** `<rule>/<messageId>`, e.g. `github/GITHUB_TOKEN`: stable, and free of `:` for fingerprints. */
  readonly id: string
  /** What was found, e.g. "GitHub Token". */
  readonly title: string
  /** GitHub code scanning's `security-severity`: "9.0" and above is critical. */
  readonly severity: string
  readonly helpUri: string | undefined
}

const PREFIX = '@secretlint/secretlint-rule-'

/** An access key id alone cannot sign a request; every other secret grants access by itself. */
const SEVERITY: Readonly<Record<string, string>> = {
  'aws/AWSAccessKeyID': '7.0',
  'shipgate/AWS_ACCESS_KEY_ID': '7.0',
}

/** The id shipgate gives a secretlint rule's message. */
export function ruleId(secretlintRuleId: string, messageId: string): string {
  const name = secretlintRuleId.startsWith(PREFIX)
    ? secretlintRuleId.slice(PREFIX.length)
    : secretlintRuleId
  return `${name}/${messageId}`
}

/** Built on first use from the preset's fixed rule list; it never changes afterwards. */
let table: ReadonlyMap<string, SecretRule> | undefined

/** Every message of the recommended preset, and every shape shipgate knows, as a rule, by id. */
export function secretRules(): ReadonlyMap<string, SecretRule> {
  table ??= new Map([
    ...presetRules.flatMap((rule) =>
      Object.entries(rule.messages).map(([messageId, translations]): [string, SecretRule] => {
        const id = ruleId(rule.meta.id, messageId)
        const docs = rule.meta.docs?.url
        return [
          id,
          {
            id,
            title: titleOf((props) => translations.en(props), messageId),
            severity: SEVERITY[id] ?? '9.0',
            helpUri: docs === undefined ? undefined : `${docs}#${messageId}`,
          },
        ]
      }),
    ),
    ...SECRET_SHAPES.filter((s) => s.scan).map((s): [string, SecretRule] => [
      s.id,
      { id: s.id, title: untitled(s.name), severity: SEVERITY[s.id] ?? '9.0', helpUri: undefined },
    ]),
  ])
  return table
}

/** "an OpenAI API key" → "OpenAI API key". */
function untitled(name: string): string {
  return name.replace(/^(?:an?|the) /, '')
}

/** The rule for an id; rules outside the preset's table get a title from their id. */
export function secretRule(id: string): SecretRule {
  return (
    secretRules().get(id) ?? { id, title: id, severity: SEVERITY[id] ?? '9.0', helpUri: undefined }
  )
}

/**
 * "found GitHub Token(<type>): <KEY>" → "GitHub Token": the English message rendered with a
 * placeholder for every value, then the placeholders cut out.
 */
function titleOf(render: (props?: Record<string, string>) => string, fallback: string): string {
  const HOLE = '\u0000'
  const props = new Proxy<Record<string, string>>({}, { get: () => HOLE })
  try {
    const text = render(props)
      .replace(/^found /, '')
      .replaceAll(`(${HOLE})`, '')
      .replace(new RegExp(`:?\\s*${HOLE}$`), '')
    if (text.includes(HOLE) || text === '') return fallback
    return text.charAt(0).toUpperCase() + text.slice(1)
  } catch {
    // A message that cannot render without its real values: the message id says enough.
    return fallback
  }
}
