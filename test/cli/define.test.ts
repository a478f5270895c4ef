/**
 * A command's flags are typed from its declaration: the same command compiled twice, once as
 * written and once with an option renamed in `options` only, through the TypeScript compiler.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import type { FlagsOf } from '../../src/cli/define.js'
import type gate from '../../src/cli/commands/gate.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** A command as a user of `defineCommand` writes one, with its option's flag given. */
function command(flag: string): string {
  return `
import { defineCommand } from './src/cli/define.js'
import { configOption } from './src/cli/options.js'

export default defineCommand({
  meta: { name: 'demo', description: 'a command' },
  options: (command) =>
    command.addOption(configOption()).option('${flag} <ref>', 'the baseline'),
  async run({ flags }) {
    const baseline: string | undefined = flags.baseline
    return baseline === undefined && flags.config === undefined ? 0 : 1
  },
})
`
}

/** Type errors of `source` compiled as a file at the repository root, with the repo's options. */
function typeErrors(source: string): string[] {
  const file = join(root, '__define_fixture__.ts')
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile)
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root)
  const host = ts.createCompilerHost(options)
  const getSourceFile = host.getSourceFile.bind(host)
  host.getSourceFile = (name, language) =>
    name === file ? ts.createSourceFile(name, source, language) : getSourceFile(name, language)
  const fileExists = host.fileExists.bind(host)
  host.fileExists = (name) => name === file || fileExists(name)
  const program = ts.createProgram([file], { ...options, noEmit: true }, host)
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === file)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
}

describe('defineCommand', () => {
  it('types the flags a command reads from the options it declares', () => {
    expect(typeErrors(command('--baseline'))).toEqual([])
  })

  it('fails the typecheck when an option is renamed in the declaration only', () => {
    const errors = typeErrors(command('--base'))
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/Property 'baseline' does not exist/)
  }, 60_000)

  it("types a real command's flags (gate)", () => {
    type GateFlags = FlagsOf<ReturnType<(typeof gate)['options']>>
    const flags: GateFlags = { approve: ['cost'], baseline: 'main', json: true }
    // @ts-expect-error gate declares --baseline, not --base
    const renamed: GateFlags['base'] = 'main'
    expect([flags.baseline, renamed]).toEqual(['main', 'main'])
  })
})
