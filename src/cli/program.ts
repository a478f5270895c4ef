import { Command } from '@commander-js/extra-typings'
import { shipgateVersion } from '../utils/package.js'
import type { CommandEntry, Done } from './define.js'
import type { CommandIO } from './io.js'

type Load = () => Promise<CommandEntry>

const entry =
  <M extends { default: CommandEntry }>(load: () => Promise<M>): Load =>
  async () =>
    (await load()).default

/**
 * The commands in the order `--help` lists them, each loaded when named: `shipgate eval` loads
 * the eval command alone; `--help` (or an unknown name, for suggestions) loads them all.
 */
export const COMMANDS = {
  init: entry(() => import('./commands/init.js')),
  eval: entry(() => import('./commands/eval.js')),
  proxy: entry(() => import('./commands/proxy.js')),
  gate: entry(() => import('./commands/gate.js')),
  merge: entry(() => import('./commands/merge.js')),
  select: entry(() => import('./commands/select.js')),
  ci: entry(() => import('./commands/ci.js')),
  compare: async () => (await import('./commands/compare.js')).compare,
  cost: async () => (await import('./commands/compare.js')).cost,
  release: entry(() => import('./commands/release.js')),
  deploy: entry(() => import('./commands/deploy.js')),
  rollback: entry(() => import('./commands/rollback.js')),
  target: entry(() => import('./commands/target.js')),
  runs: entry(() => import('./commands/runs.js')),
  comment: entry(() => import('./commands/comment.js')),
  scan: entry(() => import('./commands/scan.js')),
  smoke: entry(() => import('./commands/smoke.js')),
  monitor: entry(() => import('./commands/monitor.js')),
} satisfies Record<string, Load>

/** The program for `argv`: every command for help, or just the one it names. */
export async function buildProgram(
  argv: readonly string[],
  io: CommandIO,
  done: Done,
): Promise<Command> {
  const program = new Command('shipgate')
    .description(
      'CI/CD for LLM and agent applications: eval suites, gates, record/replay, releases.',
    )
    .version(shipgateVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showSuggestionAfterError()
  const named = argv[0]
  const loads =
    named !== undefined && Object.hasOwn(COMMANDS, named)
      ? [COMMANDS[named as keyof typeof COMMANDS]]
      : Object.values(COMMANDS)
  for (const command of await Promise.all(loads.map((load) => load()))) {
    program.addCommand(command.build(io, done))
  }
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
