/**
 * docs/library.md is true: its table names every CLI command with the exported function the
 * command calls, and its examples compile against the library's types.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { buildProgram } from '../src/cli/program.js'
import type { CommandIO } from '../src/cli/io.js'
import * as library from '../src/index.js'
import { silentLogger } from '../src/logger.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const doc = readFileSync(join(root, 'docs/library.md'), 'utf8')

/** The table's rows: command path → function name. */
function table(): Map<string, string> {
  const rows = [...doc.matchAll(/^\| `([a-z ]+)` \| `(\w+)\(/gm)]
  return new Map(rows.map((m) => [m[1] ?? '', m[2] ?? '']))
}

/** Every leaf command of the CLI, as `release diff`. */
function commands(): string[] {
  const io = { cwd: root, env: {}, logger: silentLogger } as unknown as CommandIO
  const program = buildProgram([], io, () => {})
  return program.commands.flatMap((c) =>
    c.commands.length === 0 ? [c.name()] : c.commands.map((s) => `${c.name()} ${s.name()}`),
  )
}

describe('docs/library.md', () => {
  it('names every command, and only commands', () => {
    expect([...table().keys()].sort()).toEqual(commands().sort())
  })

  it.each([...table()])('`%s` calls %s, which the library exports', (command, fn) => {
    expect(typeof (library as Record<string, unknown>)[fn]).toBe('function')
    // A group's subcommands live in `<group>.ts` and, when many, in `<group>-*.ts` beside it.
    const file = command === 'cost' ? 'compare' : (command.split(' ')[0] ?? '')
    const dir = join(root, 'src/cli/commands')
    const source = readdirSync(dir)
      .filter((f) => f === `${file}.ts` || f.startsWith(`${file}-`))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n')
    const call = new RegExp(
      `\\{[^}]*\\b${fn}\\b[^}]*\\} = await import\\('\\.\\./\\.\\./workflows/`,
    )
    expect(source).toMatch(call)
  })

  it('has examples that compile against the library', () => {
    const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '')
    expect(blocks.length).toBeGreaterThanOrEqual(4)
    // What the examples leave to the reader: the user's own agent.
    const prelude =
      'declare function myAgent(m: unknown, o: { signal: AbortSignal }): Promise<{ text: string; inputTokens: number; outputTokens: number }>\n'
    expect(compile(blocks.map((code) => `${prelude}${code}\nexport {}\n`))).toEqual([])
  }, 60_000)
})

/** Type errors of the examples, each a module, with `shipgate` resolved to the library's source. */
function compile(sources: readonly string[]): string[] {
  const files = new Map(
    sources.map((code, i) => [join(root, `__library_example_${i + 1}__.ts`), code]),
  )
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile)
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root)
  const paths = { shipgate: ['./src/index.ts'] }
  const host = ts.createCompilerHost(options)
  const getSourceFile = host.getSourceFile.bind(host)
  host.getSourceFile = (name, language) => {
    const code = files.get(name)
    return code === undefined
      ? getSourceFile(name, language)
      : ts.createSourceFile(name, code, language)
  }
  const fileExists = host.fileExists.bind(host)
  host.fileExists = (name) => files.has(name) || fileExists(name)
  const program = ts.createProgram(
    [...files.keys()],
    { ...options, noEmit: true, baseUrl: root, paths },
    host,
  )
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file !== undefined && files.has(d.file.fileName))
    .map((d) => `${d.file?.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`)
}
