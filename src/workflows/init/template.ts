/**
 * The project `shipgate init` writes: a code-review suite modelled on the seed's golden cases
 * (SQL injection, clean code, XSS) on the mock provider, so `shipgate eval` passes offline.
 */
export const INIT_FILES: Readonly<Record<string, string>> = {
  'shipgate.yaml': `# shipgate configuration. Reference: schema/shipgate.schema.json in the shipgate package.
version: 1

providers:
  # Scripted replies: runs offline with no API key. Replace with a real model when ready.
  scripted:
    type: mock
    model: claude-3-5-haiku-20241022   # reported, and priced, as this model
    latencyMs: { min: 20, max: 60 }
    responses:
      - match: "SELECT"
        output: { issues: ["SQL injection"], severity: high }
      - match: "<div>"
        output: { issues: ["XSS vulnerability"], severity: high }
    default: { issues: [], severity: null }

prompts:
  code-review:
    system: { file: prompts/code-review.system.liquid }
    user: { file: prompts/code-review.user.liquid }

suites:
  code-review:
    description: Golden cases of the code-review prompt
    prompt: code-review
    provider: scripted
    cases: evals/code-review.yaml
    trustCases: true                 # its javascript assertions run: you write that file
    threshold: 1                     # every case must pass
    assert:                          # applied to every case
      - type: json-schema
        value: file://evals/review.schema.json
      - type: latency
        threshold: 5000
`,
  'prompts/code-review.system.liquid': `You are a senior application-security reviewer.
Answer only with JSON: {"issues": [<short names of the problems found>], "severity": "high" | "medium" | "low" | null}.
`,
  'prompts/code-review.user.liquid': `Review this {{ language }} code for security problems:

\`\`\`{{ language }}
{{ code }}
\`\`\`
`,
  'evals/code-review.yaml': `# Golden cases: each names what the review must (or must not) find.
- id: sql-injection
  description: String-built SQL is flagged as injection
  tags: [critical]
  vars:
    language: python
    code: "def query(id): return f'SELECT * FROM users WHERE id={id}'"
  assert:
    - { type: icontains, value: sql injection }
    - { type: javascript, value: "JSON.parse(output).severity === 'high'" }

- id: clean-code
  description: Correct code gets no findings (no false positives)
  vars:
    language: python
    code: "def add(a, b): return a + b"
  assert:
    - { type: javascript, value: "JSON.parse(output).issues.length === 0" }

- id: xss
  description: Unescaped user input in HTML is flagged as XSS
  tags: [critical]
  vars:
    language: html
    code: "<div>{user_input}</div>"
  assert:
    - { type: icontains, value: xss }
`,
  'evals/review.schema.json': `{
  "type": "object",
  "required": ["issues", "severity"],
  "properties": {
    "issues": { "type": "array", "items": { "type": "string" } },
    "severity": { "enum": ["high", "medium", "low", null] }
  },
  "additionalProperties": false
}
`,
}

/** Ignore rule for the local store, added to the project's .gitignore. */
export const GITIGNORE_LINE = '.shipgate/'
