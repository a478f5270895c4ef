// Regenerates the reference docs from their sources of truth (run `npm run docs`):
//   docs/cli.md    from the built CLI's --help of every command
//   docs/config.md from schema/shipgate.schema.json (itself generated from the zod schema)
// With --check, writes nothing and exits 1 when a committed file is stale (a test runs this).
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = `${root}bin/shipgate.js`
/** Every command and subcommand, in the program's order, from the built CLI's command list. */
async function commandPaths() {
  const { buildProgram } = await import(`${root}dist/cli/program.js`)
  const quiet = () => {}
  const io = { cwd: root, env: {}, stdout: quiet, stderr: quiet, stderrIsTTY: false, columns: 100 }
  const program = await buildProgram([], io, quiet)
  const paths = [[]]
  const walk = (command, prefix) => {
    for (const child of command.commands) {
      const path = [...prefix, child.name()]
      if (child.commands.length === 0) paths.push(path)
      walk(child, path)
    }
  }
  walk(program, [])
  return paths
}

function help(args) {
  return execFileSync(process.execPath, [bin, ...args, '--help'], {
    encoding: 'utf8',
    env: { ...process.env, COLUMNS: '100' },
  }).trimEnd()
}

async function cliDoc() {
  const sections = (await commandPaths()).map(
    (args) =>
      `## \`shipgate${args.map((a) => ` ${a}`).join('')}\`\n\n\`\`\`text\n${help(args)}\n\`\`\`\n`,
  )
  return `# CLI reference

Generated from \`shipgate --help\` by \`npm run docs\`; do not edit by hand.

Exit codes: 0 success · 1 an expected negative outcome (a suite below its threshold) · 2 usage or
config error · 3 environment error · 70 internal error · 130 interrupted (finished results saved).
stdout carries results only; logs and progress go to stderr.

${sections.join('\n')}`
}

function typeOf(node) {
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``
  if (node.enum) return node.enum.map((v) => `\`${v}\``).join(' \\| ')
  if (node.anyOf || node.oneOf)
    return [...new Set((node.anyOf ?? node.oneOf).map(typeOf))].join(' or ')
  if (node.type === 'array') return `list of ${typeOf(node.items ?? {})}`
  if (
    node.type === 'object' &&
    node.additionalProperties &&
    typeof node.additionalProperties === 'object'
  ) {
    return `map of ${node.additionalProperties.oneOf ? 'provider' : typeOf(node.additionalProperties)}`
  }
  return node.type ?? 'any'
}

function rows(node, prefix, out) {
  const required = new Set(node.required ?? [])
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const path = `${prefix}${key}`
    const def =
      child.default === undefined ||
      (typeof child.default === 'object' && Object.keys(child.default).length > 0)
        ? ''
        : `\`${JSON.stringify(child.default)}\``
    const desc = (child.description ?? '').replace(/\|/g, '\\|')
    out.push(
      `| \`${path}\` | ${typeOf(child)} | ${required.has(key) ? 'yes' : ''} | ${def} | ${desc} |`,
    )
    const inner =
      child.additionalProperties && typeof child.additionalProperties === 'object'
        ? child.additionalProperties
        : child
    if (inner.properties && inner !== child) rows(inner, `${path}.<name>.`, out)
    else if (child.properties) rows(child, `${path}.`, out)
  }
  return out
}

function configDoc() {
  const schema = JSON.parse(readFileSync(`${root}schema/shipgate.schema.json`, 'utf8'))
  const suite = schema.properties.suites.additionalProperties
  const caseSchema = suite.properties.cases.anyOf.find((o) => o.type === 'array').items
  const assertion = suite.properties.assert.items
  const providers = schema.properties.providers.additionalProperties.oneOf
  const table = (node, prefix) =>
    [
      '| key | type | required | default | meaning |',
      '| --- | --- | --- | --- | --- |',
      ...rows(node, prefix, []),
    ].join('\n')
  const providerSections = providers.map(
    (p) =>
      `### \`type: ${p.properties.type.const}\`\n\n${p.description ?? ''}\n\n${table(p, '')}\n`,
  )
  return `# Config reference (\`shipgate.yaml\`)

Generated from \`schema/shipgate.schema.json\` by \`npm run docs\`; do not edit by hand. Point
your editor at that schema for completion (\`# yaml-language-server: $schema=...\`). Unknown keys
are errors, reported with file:line:column and the closest valid key. String values may use
\`\${VAR}\` or \`\${VAR:-default}\` (environment variables); write \`$\${...}\` for a literal.
Secrets never go in this file: name the environment variable that holds them. The same
config may be written as JSON in \`shipgate.json\` (found when there is no \`shipgate.yaml\`).

## Top level

${table(schema, '')}

## Providers

${providerSections.join('\n')}
## A suite (\`suites.<name>\`)

${table(suite, '')}

## A case

Inline under \`cases:\`, or one per entry of a \`.yaml\` or \`.json\` list, one per line of a \`.jsonl\` file,
or one per row of a \`.csv\` file (a column per var, plus promptfoo's \`__id\`, \`__description\`,
\`__tags\`, \`__threshold\` and \`__expected\`/\`__expected2\`... columns holding \`type: value\`
assertions).

${table(caseSchema, '')}

## An assertion

See [assertions.md](assertions.md) for every type and its \`value\`.

${table(assertion, '')}
`
}

const outputs = { 'docs/cli.md': await cliDoc(), 'docs/config.md': configDoc() }
const check = process.argv.includes('--check')
let stale = false
for (const [file, text] of Object.entries(outputs)) {
  const path = `${root}${file}`
  const current = existsSync(path) ? readFileSync(path, 'utf8') : ''
  if (current === text) continue
  if (check) {
    console.error(`${file} is stale: run \`npm run docs\``)
    stale = true
  } else {
    writeFileSync(path, text)
    console.error(`wrote ${file}`)
  }
}
process.exit(stale ? 1 : 0)
