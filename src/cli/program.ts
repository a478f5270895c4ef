import { Command } from '@commander-js/extra-typings'
import { shipgateVersion } from '../utils/package.js'
import type { CommandEntry, Done } from './define.js'
import init from './commands/init.js'
import importCommand from './commands/import.js'
import evaluate from './commands/eval.js'
import proxy from './commands/proxy.js'
import gate from './commands/gate.js'
import merge from './commands/merge.js'
import select from './commands/select.js'
import ci from './commands/ci.js'
import { ab } from './commands/ab.js'
import { compare, cost } from './commands/compare.js'
import report from './commands/report.js'
import release from './commands/release.js'
import deploy from './commands/deploy.js'
import rollback from './commands/rollback.js'
import target from './commands/target.js'
import runs from './commands/runs.js'
import comment from './commands/comment.js'
import scan from './commands/scan.js'
import store from './commands/store.js'
import smoke from './commands/smoke.js'
import monitor from './commands/monitor.js'
import analysis from './commands/analysis.js'
import canary from './commands/canary.js'
import flags from './commands/flags.js'
import experiment from './commands/experiment.js'
import view from './commands/view.js'
import type { CommandIO } from './io.js'

/**
 * The commands in the order `--help` lists them. Their definitions are small and load together
 * (one chunk: far quicker to start than a file per command); each command's work loads only when
 * it runs, and only the named command is built.
 */
export const COMMANDS = {
  init,
  import: importCommand,
  eval: evaluate,
  proxy,
  gate,
  merge,
  select,
  ci,
  compare,
  cost,
  report,
  view,
  ab,
  release,
  deploy,
  rollback,
  target,
  runs,
  store,
  comment,
  scan,
  smoke,
  monitor,
  analysis,
  canary,
  flags,
  experiment,
} satisfies Record<string, CommandEntry>

/** The program for `argv`: every command for help, or just the one it names. */
export function buildProgram(argv: readonly string[], io: CommandIO, done: Done): Command {
  const program = new Command('shipgate')
    .description(
      'CI/CD for LLM and agent applications: eval suites, gates, record/replay, releases.',
    )
    .version(shipgateVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showSuggestionAfterError()
  const named = argv[0]
  const commands =
    named !== undefined && Object.hasOwn(COMMANDS, named)
      ? [COMMANDS[named as keyof typeof COMMANDS]]
      : Object.values(COMMANDS)
  for (const command of commands) program.addCommand(command.build(io, done))
  // Subcommands inherit the program's error handling and output.
  for (const command of program.commands) inherit(command, io)
  return program
}

function inherit(command: Command['commands'][number], io: CommandIO): void {
  command
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showSuggestionAfterError()
  for (const child of command.commands) inherit(child, io)
}
