import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'

/*
 * The bad-input suite (issue 14): malformed and hostile configs and case files, each run
 * through the built CLI. Every one must end in exit 2 with a message naming the file (and the
 * line where the bad thing has one), no stack trace, bounded output and a bounded time.
 */

/** A config whose line 10 is `cases:` and whose line 11 on is `suite` (keys of suite `s`). */
function config(cases = '[{ vars: { name: a } }]', suite = '', top = ''): string {
  return `version: 1
providers:
  fake: { type: mock }
prompts:
  p: { user: "Hi {{ name }}" }
suites:
  s:
    prompt: p
    provider: fake
    cases: ${cases}
${suite}${top}`
}

const utf16 = (text: string, bom: boolean): Buffer =>
  Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, 'utf16le')])

/** Deterministic junk bytes (NULs and control bytes included). */
function junk(size: number): Buffer {
  const bytes = Buffer.alloc(size)
  let x = 12345
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff
    bytes[i] = x >> 16
  }
  return bytes
}

const BOMB = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
`
const caseBomb = `- vars:
    name: x
    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
`

interface BadInput {
  /** Files of the project; `shipgate.yaml` unless `args` names another config. */
  readonly files: Readonly<Record<string, string | Buffer>>
  /** Extra arguments of `shipgate eval`. */
  readonly args?: readonly string[]
  /** Environment of the run. */
  readonly env?: Readonly<Record<string, string>>
  /** The command run instead of `eval --no-progress`. */
  readonly command?: readonly string[]
  /** What the output must name: `file` or `file:line`. */
  readonly names: string
  /** More the output must say. */
  readonly says?: RegExp
  /** What the output must not say (a quoted secret file, say). */
  readonly never?: RegExp
  /** Megabytes of input: run alone, so its time is its own. */
  readonly heavy?: boolean
}

const cases: Record<string, BadInput> = {
  // --- item 1: crashes with a stack trace
  'a YAML alias bomb in the config': {
    files: { 'shipgate.yaml': `${config()}${BOMB}` },
    names: 'shipgate.yaml:1',
    says: /alias/,
  },
  'an undefined alias in the config': {
    files: { 'shipgate.yaml': config(undefined, '    assert: *nope\n') },
    names: 'shipgate.yaml:11',
    says: /nope/,
  },
  'eval -c a directory': {
    files: { 'somedir/x.txt': '' },
    args: ['-c', 'somedir'],
    names: 'somedir',
    says: /directory/,
  },
  'a YAML alias bomb in a cases file': {
    files: { 'shipgate.yaml': config('cases.yaml'), 'cases.yaml': caseBomb },
    names: 'cases.yaml:',
    says: /alias/,
  },
  'an undefined alias in a cases file': {
    files: {
      'shipgate.yaml': config('cases.yaml'),
      'cases.yaml': '- vars: { name: a }\n- vars: { name: b }\n  assert: *nope\n',
    },
    names: 'cases.yaml:3',
    says: /nope/,
  },
  'a JSONL case nested 200,000 levels deep': {
    files: {
      'shipgate.yaml': config('cases.jsonl'),
      'cases.jsonl': `{"vars":{"name":"a"}}\n{"vars":{"name":${'['.repeat(200_000)}${']'.repeat(200_000)}}}\n`,
    },
    names: 'cases.jsonl:2',
    says: /deep/,
    heavy: true,
  },
  'a YAML case nested 3,000 levels deep': {
    files: {
      'shipgate.yaml': config('cases.yaml'),
      'cases.yaml': `- vars: { name: ${'['.repeat(3000)}${']'.repeat(3000)} }\n`,
    },
    names: 'cases.yaml:1',
    says: /deep/,
  },
  '`runs list` on a YAML alias bomb': {
    files: { 'shipgate.yaml': `${config()}${BOMB}` },
    command: ['runs', 'list'],
    names: 'shipgate.yaml:1',
    says: /alias/,
  },
  '`runs list` on a UTF-16 config': {
    files: { 'shipgate.yaml': utf16(config(), true) },
    command: ['runs', 'list'],
    names: 'shipgate.yaml',
    says: /UTF-16/,
  },
  '`runs list` on a YAML syntax error': {
    files: { 'shipgate.yaml': 'version: 1\nstore: [\n' },
    command: ['runs', 'list'],
    names: 'shipgate.yaml:',
  },
  // --- item 2: repeat
  'repeat: 1000000000': {
    files: { 'shipgate.yaml': config(undefined, '    repeat: 1000000000\n') },
    names: 'shipgate.yaml:11',
    says: /repeat: 1000000000 is out of range[\s\S]*at most 1000/,
  },
  'more samples than a run may hold (101 cases × repeat 1000)': {
    files: {
      'shipgate.yaml': config('cases.jsonl', '    repeat: 1000\n'),
      'cases.jsonl': Array.from({ length: 101 }, (_, i) => `{"vars":{"name":"n${i}"}}`).join('\n'),
    },
    names: 'shipgate.yaml',
    says: /101,000 samples[\s\S]*--shard/,
  },
  'repeat: 0': {
    files: { 'shipgate.yaml': config(undefined, '    repeat: 0\n') },
    names: 'shipgate.yaml:11',
  },
  'repeat: 2.5': {
    files: { 'shipgate.yaml': config(undefined, '    repeat: 2.5\n') },
    names: 'shipgate.yaml:11',
  },
  'k: 100000000': {
    files: { 'shipgate.yaml': config(undefined, '    k: 100000000\n') },
    names: 'shipgate.yaml:11',
  },
  '--repeat 1000000000': {
    files: { 'shipgate.yaml': config() },
    args: ['--repeat', '1000000000'],
    names: '--repeat',
  },
  // --- item 4: huge and binary junk
  'a 50 MB junk YAML cases file': {
    files: { 'shipgate.yaml': config('cases.yaml'), 'cases.yaml': 'x'.repeat(50_000_000) },
    names: 'cases.yaml:1',
    says: /50,000,000 characters/,
    heavy: true,
  },
  'a 5 MB junk JSONL line': {
    files: { 'shipgate.yaml': config('cases.jsonl'), 'cases.jsonl': `"${'x'.repeat(5_000_000)}"` },
    names: 'cases.jsonl:1',
    heavy: true,
  },
  'binary junk as a JSONL cases file': {
    files: { 'shipgate.yaml': config('cases.jsonl'), 'cases.jsonl': junk(100_000) },
    names: 'cases.jsonl',
  },
  'binary junk as a YAML cases file': {
    files: { 'shipgate.yaml': config('cases.yaml'), 'cases.yaml': junk(100_000) },
    names: 'cases.yaml',
  },
  'binary junk as a CSV cases file': {
    files: { 'shipgate.yaml': config('cases.csv'), 'cases.csv': junk(100_000) },
    names: 'cases.csv',
  },
  'binary junk as the config': {
    files: { 'shipgate.yaml': junk(50_000) },
    names: 'shipgate.yaml',
  },
  'two thousand bad JSONL lines': {
    files: {
      'shipgate.yaml': config('cases.jsonl'),
      'cases.jsonl': 'not json\n'.repeat(2000),
    },
    names: 'cases.jsonl:1',
    says: /1,?9\d\d more/,
  },
  'a long string where a number belongs': {
    files: { 'shipgate.yaml': config(undefined, `    threshold: "${'9'.repeat(100_000)}"\n`) },
    names: 'shipgate.yaml:11',
  },
  // --- item 5: messages that named the wrong thing
  '--provider fake.timeoutMs=abc': {
    files: { 'shipgate.yaml': config() },
    args: ['--provider', 'fake.timeoutMs=abc'],
    names: 'shipgate.yaml:3',
    says: /--provider fake\.timeoutMs=abc[\s\S]*expected (a )?number/,
  },
  '--provider fake.latencyMs=-5': {
    files: { 'shipgate.yaml': config() },
    args: ['--provider', 'fake.latencyMs=-5'],
    names: 'shipgate.yaml:3',
    says: /--provider fake\.latencyMs=-5/,
  },
  'a ci: provider value of the wrong type, on CI': {
    files: {
      'shipgate.yaml': config(undefined, '', 'ci:\n  providers:\n    fake: { timeoutMs: abc }\n'),
    },
    env: { CI: 'true' },
    names: 'shipgate.yaml:3',
    says: /ci\.providers\.fake\.timeoutMs[\s\S]*expected number/,
  },
  '--provider for a provider that does not exist': {
    files: { 'shipgate.yaml': config() },
    args: ['--provider', 'nope.model=x'],
    names: '--provider nope.model=x',
  },
  'a UTF-16 config with a BOM': {
    files: { 'shipgate.yaml': utf16(config(), true) },
    names: 'shipgate.yaml',
    says: /UTF-16[\s\S]*UTF-8/,
  },
  'a UTF-16 config without a BOM': {
    files: { 'shipgate.yaml': utf16(config(), false) },
    names: 'shipgate.yaml',
    says: /UTF-16[\s\S]*UTF-8/,
  },
  'a UTF-32 config': {
    files: {
      'shipgate.yaml': Buffer.concat([
        Buffer.from([0xff, 0xfe, 0, 0]),
        Buffer.from([...config()].flatMap((c) => [c.charCodeAt(0), 0, 0, 0])),
      ]),
    },
    names: 'shipgate.yaml',
    says: /UTF-32/,
  },
  'a Latin-1 config': {
    files: { 'shipgate.yaml': Buffer.from(`${config()}description: "caf\xe9"\n`, 'latin1') },
    names: 'shipgate.yaml:11',
    says: /UTF-8/,
  },
  'a UTF-16 cases file': {
    files: {
      'shipgate.yaml': config('cases.yaml'),
      'cases.yaml': utf16('- vars: { name: a }\n', true),
    },
    names: 'cases.yaml',
    says: /UTF-16/,
  },
  'a missing cases file': {
    files: { 'shipgate.yaml': config('nope.jsonl') },
    names: 'shipgate.yaml:10',
    says: /nope\.jsonl/,
  },
  'a cases file that is a directory': {
    files: { 'shipgate.yaml': config('cases.jsonl'), 'cases.jsonl/x': '' },
    names: 'shipgate.yaml:10',
    says: /cases\.jsonl[\s\S]*directory/,
  },
  'a cases file of an unknown type': {
    files: { 'shipgate.yaml': config('cases.txt'), 'cases.txt': 'hi' },
    names: 'shipgate.yaml:10',
    says: /cases\.txt/,
  },
  'a JSON cases file that is not a list': {
    files: { 'shipgate.yaml': config('cases.json'), 'cases.json': '{"vars": {}}' },
    names: 'cases.json',
  },
  // --- item 16: code and files from data
  'a javascript assertion in a CSV cases file': {
    files: {
      'shipgate.yaml': config('cases.csv'),
      'cases.csv': "name,__expected\na,\"javascript: require('fs').writeFileSync('pwned', 'x')\"\n",
    },
    names: 'cases.csv:2',
    says: /javascript[\s\S]*trustCases/,
  },
  'a javascript assertion in a JSONL cases file': {
    files: {
      'shipgate.yaml': config('cases.jsonl'),
      'cases.jsonl':
        '{"vars":{"name":"a"}}\n{"vars":{"name":"b"},"assert":[{"type":"javascript","value":"true"}]}\n',
    },
    names: 'cases.jsonl:2',
    says: /trustCases/,
  },
  'a not-javascript assertion in a YAML cases file': {
    files: {
      'shipgate.yaml': config('cases.yaml'),
      'cases.yaml': '- vars: { name: a }\n  assert: [{ type: not-javascript, value: "false" }]\n',
    },
    names: 'cases.yaml:2',
    says: /trustCases/,
  },
  'a javascript module in a YAML cases file': {
    files: {
      'shipgate.yaml': config('cases.yaml'),
      'cases.yaml': '- vars: { name: a }\n  assert: [{ type: javascript, value: "file://x.js" }]\n',
      'x.js': 'export default () => true\n',
    },
    names: 'cases.yaml:2',
    says: /trustCases/,
  },
  'a JSON Schema file:// reference out of the project in a JSONL cases file': {
    files: {
      'shipgate.yaml': config('cases.jsonl'),
      'cases.jsonl':
        '{"vars":{"name":"a"},"assert":[{"type":"is-json"},{"type":"json-schema","value":"file://../../../../../../../../etc/passwd"}]}\n',
    },
    names: 'cases.jsonl:1',
    says: /outside[\s\S]*trustCases/,
    never: /root:/,
  },
  'an absolute file:// reference in a YAML cases file': {
    files: {
      'shipgate.yaml': config('cases.yaml'),
      'cases.yaml':
        '- vars: { name: a }\n  assert: [{ type: json-schema, value: "file:///etc/passwd" }]\n',
    },
    names: 'cases.yaml:2',
    says: /outside/,
    never: /root:/,
  },
  // --- more of the same family: config files
  'an empty config': { files: { 'shipgate.yaml': '' }, names: 'shipgate.yaml' },
  'a config that is only a comment': {
    files: { 'shipgate.yaml': '# nothing here\n' },
    names: 'shipgate.yaml',
  },
  'a list at the top level': {
    files: { 'shipgate.yaml': '- version: 1\n' },
    names: 'shipgate.yaml:1',
  },
  'a scalar at the top level': { files: { 'shipgate.yaml': 'hello\n' }, names: 'shipgate.yaml:1' },
  'tabs for indentation': {
    files: { 'shipgate.yaml': config().replace('  fake:', '\tfake:') },
    names: 'shipgate.yaml:3',
  },
  'a duplicate key': {
    files: { 'shipgate.yaml': config(undefined, '    prompt: p\n') },
    names: 'shipgate.yaml:11',
    says: /unique|duplicate/i,
  },
  'an unclosed quote': {
    // The YAML parser reports it where the file ends.
    files: { 'shipgate.yaml': config().replace('"Hi {{ name }}"', '"Hi {{ name }}') },
    names: 'shipgate.yaml:11',
    says: /closing "quote/,
  },
  'version 2': {
    files: { 'shipgate.yaml': config().replace('version: 1', 'version: 2') },
    names: 'shipgate.yaml:1',
  },
  'an unknown top-level key': {
    files: { 'shipgate.yaml': config(undefined, '', 'suite: {}\n') },
    names: 'shipgate.yaml:11',
    says: /did you mean "suites"/,
  },
  'an unknown suite key': {
    files: { 'shipgate.yaml': config(undefined, '    repaet: 3\n') },
    names: 'shipgate.yaml:11',
    says: /did you mean "repeat"/,
  },
  'a negative monthly budget': {
    files: { 'shipgate.yaml': config(undefined, '', 'gate:\n  budget:\n    monthlyUsd: -5\n') },
    names: 'shipgate.yaml:13',
    says: /gate\.budget\.monthlyUsd/,
  },
  'a budget warnAt over 1': {
    files: {
      'shipgate.yaml': config(undefined, '', 'gate:\n  budget: { monthlyUsd: 500, warnAt: 1.5 }\n'),
    },
    names: 'shipgate.yaml:12',
    says: /gate\.budget\.warnAt/,
  },
  'an unknown budget onExceed': {
    files: {
      'shipgate.yaml': config(
        undefined,
        '',
        'gate:\n  budget:\n    monthlyUsd: 500\n    onExceed: block\n',
      ),
    },
    names: 'shipgate.yaml:14',
    says: /fail[\s\S]*warn/,
  },
  'a budget without monthlyUsd': {
    files: { 'shipgate.yaml': config(undefined, '', 'gate:\n  budget: { warnAt: 0.5 }\n') },
    names: 'shipgate.yaml:12',
    says: /monthlyUsd/,
  },
  'a huge number for concurrency': {
    files: { 'shipgate.yaml': config(undefined, '', 'runner: { concurrency: 1e400 }\n') },
    names: 'shipgate.yaml:11',
  },
  'a negative concurrency': {
    files: { 'shipgate.yaml': config(undefined, '', 'runner: { concurrency: -4 }\n') },
    names: 'shipgate.yaml:11',
  },
  'concurrency as a word': {
    files: { 'shipgate.yaml': config(undefined, '', 'runner:\n  concurrency: eight\n') },
    names: 'shipgate.yaml:12',
  },
  'a NaN threshold': {
    files: { 'shipgate.yaml': config(undefined, '    threshold: .nan\n') },
    names: 'shipgate.yaml:11',
  },
  'a threshold above 1': {
    files: { 'shipgate.yaml': config(undefined, '    threshold: 1.5\n') },
    names: 'shipgate.yaml:11',
  },
  'a negative weight': {
    files: {
      'shipgate.yaml': config(
        undefined,
        '    assert: [{ type: contains, value: a, weight: -1 }]\n',
      ),
    },
    names: 'shipgate.yaml:11',
  },
  'an unknown assertion type': {
    files: { 'shipgate.yaml': config(undefined, '    assert: [{ type: contans, value: a }]\n') },
    names: 'shipgate.yaml:11',
    says: /contains/,
  },
  'an unknown provider type': {
    files: { 'shipgate.yaml': config().replace('type: mock', 'type: mokc') },
    names: 'shipgate.yaml:3',
    says: /mock/,
  },
  'an invalid apiKeyEnv name': {
    files: {
      'shipgate.yaml': config().replace(
        'fake: { type: mock }',
        'fake: { type: anthropic, model: m, apiKeyEnv: "MY KEY!" }',
      ),
    },
    names: 'shipgate.yaml:3',
  },
  'an invalid gate rule': {
    files: { 'shipgate.yaml': config(undefined, '', 'gate:\n  thresholds: { passRate: 2 }\n') },
    names: 'shipgate.yaml:12',
  },
  'an unknown gate threshold': {
    files: { 'shipgate.yaml': config(undefined, '', 'gate:\n  thresholds: { passrate: 1 }\n') },
    names: 'shipgate.yaml:12',
    says: /passRate/,
  },
  'casePass above 1': {
    files: { 'shipgate.yaml': config(undefined, '    casePass: 1.5\n') },
    names: 'shipgate.yaml:11',
  },
  'cases as a number': {
    files: { 'shipgate.yaml': config('5') },
    names: 'shipgate.yaml:10',
  },
  'an unknown prompt': {
    files: { 'shipgate.yaml': config().replace('prompt: p', 'prompt: q') },
    names: 'shipgate.yaml:8',
  },
  'a missing prompt file': {
    files: { 'shipgate.yaml': config().replace('{ user: "Hi {{ name }}" }', 'nope.txt') },
    names: 'shipgate.yaml:5',
    says: /nope\.txt/,
  },
  'a prompt file that is a directory': {
    files: {
      'shipgate.yaml': config().replace('{ user: "Hi {{ name }}" }', 'tpl'),
      'tpl/x': '',
    },
    names: 'shipgate.yaml:5',
    says: /tpl/,
  },
  'a UTF-16 prompt template': {
    files: {
      'shipgate.yaml': config().replace('{ user: "Hi {{ name }}" }', 'p.liquid'),
      'p.liquid': utf16('Hi {{ name }}', true),
    },
    names: 'shipgate.yaml:5',
    says: /p\.liquid is UTF-16/,
  },
  'a prompt that is not valid liquid': {
    files: { 'shipgate.yaml': config().replace('{{ name }}', '{% if %}') },
    names: 'shipgate.yaml:5',
  },
  'an unset environment variable': {
    files: { 'shipgate.yaml': config(undefined, '', 'description: ${NOPE_NOT_SET_XYZ}\n') },
    names: 'shipgate.yaml:11',
  },
  'a literal API key in the config': {
    files: {
      'shipgate.yaml': config(
        undefined,
        '',
        'description: sk-ant-api03-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-AAAAAAAA\n',
      ),
    },
    names: 'shipgate.yaml:11',
  },
  'a config 3,000 levels deep': {
    files: { 'shipgate.yaml': `${config()}description: ${'['.repeat(3000)}${']'.repeat(3000)}\n` },
    names: 'shipgate.yaml:11',
  },
  // --- case files
  'a JSONL file with a trailing garbage line': {
    files: {
      'shipgate.yaml': config('cases.jsonl'),
      'cases.jsonl': '{"vars":{"name":"a"}}\n{"vars":{"name":"b"}}\n}garbage{\n',
    },
    names: 'cases.jsonl:3',
  },
  'a JSONL line that is a number': {
    files: { 'shipgate.yaml': config('cases.jsonl'), 'cases.jsonl': '{"vars":{"name":"a"}}\n42\n' },
    names: 'cases.jsonl:2',
  },
  'a JSONL case with an unknown key': {
    files: {
      'shipgate.yaml': config('cases.jsonl'),
      'cases.jsonl': '{"vars":{"name":"a"}}\n{"varz":{"name":"b"}}\n',
    },
    names: 'cases.jsonl:2',
    says: /did you mean "vars"/,
  },
  'a case missing the vars its prompt needs': {
    files: { 'shipgate.yaml': config('cases.jsonl'), 'cases.jsonl': '{"id":"a"}\n' },
    names: 'cases.jsonl:1',
  },
  'duplicate case ids': {
    files: {
      'shipgate.yaml': config('cases.jsonl'),
      'cases.jsonl': '{"id":"a","vars":{"name":"a"}}\n{"id":"a","vars":{"name":"b"}}\n',
    },
    names: 'cases.jsonl:2',
  },
  'a contains assertion with a map value': {
    files: {
      'shipgate.yaml': config('cases.jsonl'),
      'cases.jsonl': '{"vars":{"name":"a"},"assert":[{"type":"contains","value":{"a":1}}]}\n',
    },
    names: 'cases.jsonl:1',
  },
  'a YAML cases file that is a map': {
    files: { 'shipgate.yaml': config('cases.yaml'), 'cases.yaml': 'vars: { name: a }\n' },
    names: 'cases.yaml:1',
  },
  'an empty YAML cases file': {
    files: { 'shipgate.yaml': config('cases.yaml'), 'cases.yaml': '' },
    names: 'shipgate.yaml:10',
  },
  'a YAML cases file with a syntax error': {
    files: {
      'shipgate.yaml': config('cases.yaml'),
      'cases.yaml': '- vars: { name: a }\n- vars: { name: [b }\n',
    },
    names: 'cases.yaml:2',
  },
  'a CSV with ragged rows': {
    files: { 'shipgate.yaml': config('cases.csv'), 'cases.csv': 'name,x\na,1\nb,2,3\n' },
    names: 'cases.csv:3',
  },
  'a CSV with an unclosed quote': {
    files: { 'shipgate.yaml': config('cases.csv'), 'cases.csv': 'name\na\n"b\nc\n' },
    names: 'cases.csv',
  },
  'a CSV with a BOM and a bad __threshold': {
    files: {
      'shipgate.yaml': config('cases.csv'),
      'cases.csv': '\ufeffname,__threshold\na,high\n',
    },
    names: 'cases.csv:2',
  },
  'a CSV with an unknown __expected type': {
    files: {
      'shipgate.yaml': config('cases.csv'),
      'cases.csv': 'name,__expected\na,"regex: ["\n',
    },
    names: 'cases.csv:2',
  },
}

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function project(files: BadInput['files']): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-bad-'))
  dirs.push(dir)
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), content)
  }
  return dir
}

const MAX_OUTPUT = 8 * 1024
const MAX_MS = 10_000

async function expectClean(bad: BadInput): Promise<void> {
  const cwd = project(bad.files)
  const started = Date.now()
  const command = bad.command ?? ['eval', '--no-progress']
  const run = await runCli([...command, ...(bad.args ?? [])], { cwd, env: { ...bad.env } })
  const elapsed = Date.now() - started
  const output = run.stdout + run.stderr
  const shown = output.slice(0, 2000)
  expect(run.code, shown).toBe(2)
  expect(output, shown).toContain(bad.names)
  expect(output, shown).not.toMatch(/^\s+at /m)
  expect(output, shown).not.toContain('internal error')
  expect(output.length, shown).toBeLessThan(MAX_OUTPUT)
  expect(elapsed, shown).toBeLessThan(MAX_MS)
  if (bad.says !== undefined) expect(output, shown).toMatch(bad.says)
  if (bad.never !== undefined) expect(output, shown).not.toMatch(bad.never)
}

const all = Object.entries(cases)

describe('bad input: exit 2, the file (and line) named, no stack trace', () => {
  it('has at least 60 cases', () => {
    expect(all.length).toBeGreaterThanOrEqual(60)
  })

  describe('megabytes of input, one at a time', () => {
    for (const [name, bad] of all.filter(([, b]) => b.heavy === true)) {
      it(name, () => expectClean(bad))
    }
  })

  describe.concurrent('the rest, side by side', () => {
    for (const [name, bad] of all.filter(([, b]) => b.heavy !== true)) {
      it(name, () => expectClean(bad))
    }
  })
})
