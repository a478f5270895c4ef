import { Command, InvalidArgumentError } from 'commander'
import { shipgateVersion } from '../utils/package.js'
import type { CommandIO } from './io.js'

/**
 * The commands, their flags and help. Each action imports its command module when invoked, so
 * `--help` loads nothing else.
 */
export function buildProgram(io: CommandIO, done: (exitCode: number) => void): Command {
  const program = new Command('shipgate')
    .description(
      'CI/CD for LLM and agent applications: eval suites, gates, record/replay, releases.',
    )
    .version(shipgateVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showSuggestionAfterError()

  program
    .command('init')
    .description(
      'create a working example project (shipgate.yaml, prompts/, evals/) on the mock provider',
    )
    .argument('[dir]', 'directory to create it in', '.')
    .option('--force', 'overwrite files that exist')
    .action(async (dir: string, opts: { force?: boolean }) => {
      const { runInit } = await import('./commands/init.js')
      done(await runInit({ dir, force: opts.force === true }, io))
    })

  program
    .command('eval')
    .description('run eval suites: cases × repeats against providers, graded by assertions')
    .option('-c, --config <file>', 'config file (default: shipgate.yaml found upward)')
    .option('--suite <name>', 'run only this suite (repeatable)', collect)
    .option('--tag <tag>', 'run only cases with this tag (repeatable)', collect)
    .option('--repeat <n>', 'samples per case, overriding the config', positiveInt)
    .option('--concurrency <n>', 'provider calls in flight at once', positiveInt)
    .option(
      '-o, --output <file>',
      'write results: .json results, .xml JUnit, .md summary (repeatable)',
      collect,
    )
    .option(
      '--provider <NAME.KEY=VALUE>',
      'override a provider for this run, e.g. haiku.model=claude-3-haiku-20240307 or haiku.temperature=0 (repeatable)',
      collect,
    )
    .option(
      '--replay',
      'answer only from cassettes; a missing recording fails (exit 3); no key needed',
    )
    .option(
      '--record-missing',
      'answer from cassettes, record what is missing (the response cache)',
    )
    .option('--record', 'call the APIs and re-record every cassette')
    .option('--passthrough', 'ignore cassettes')
    .option(
      '--cassettes <dir>',
      'cassette directory (default: cassettes.dir of the config, or cassettes/)',
    )
    .option('--json', 'print the results document as JSON on stdout')
    .option('--no-progress', 'no progress on stderr')
    .action(async (opts: EvalFlags) => {
      const { runEvalCommand } = await import('./commands/eval.js')
      done(await runEvalCommand(opts, io))
    })

  program
    .command('proxy')
    .description(
      'serve the Anthropic and OpenAI APIs from cassettes, for applications in any language',
    )
    .option('--port <n>', 'port to listen on (0 picks one)', nonNegativeInt, 8787)
    .option('--host <host>', 'address to bind (default 127.0.0.1)')
    .option('--mode <mode>', 'replay, record, record-missing or passthrough', 'replay')
    .option(
      '--cassettes <dir>',
      "cassette directory (default: the config's cassettes.dir, or cassettes/)",
    )
    .option('--timing <timing>', 'replayed streams: instant, or at the recorded pace', 'instant')
    .option(
      '--anthropic-upstream <url>',
      'where Anthropic calls go out',
      'https://api.anthropic.com',
    )
    .option('--openai-upstream <url>', 'where OpenAI calls go out', 'https://api.openai.com')
    .action(async (opts: ProxyFlags) => {
      const { runProxy } = await import('./commands/proxy.js')
      done(await runProxy(opts, io))
    })

  const runs = program.command('runs').description('list and show recorded runs')
  runs
    .command('list')
    .description('recorded runs, newest first')
    .option('-c, --config <file>', 'config file (for the store location)')
    .option('--limit <n>', 'how many', positiveInt, 20)
    .option('--suite <name>', 'only runs of this suite')
    .option('--branch <name>', 'only runs made on this git branch')
    .option(
      '--status <status>',
      'only runs with this status (running, completed, interrupted, failed)',
    )
    .option('--json', 'print as JSON')
    .action(async (opts: RunsListFlags) => {
      const { runRunsList } = await import('./commands/runs.js')
      done(await runRunsList(opts, io))
    })
  runs
    .command('show')
    .description('one run: its suites and failures (ID, a unique prefix of it, or "latest")')
    .argument('<id>', 'run id, id prefix, or latest')
    .option('-c, --config <file>', 'config file (for the store location)')
    .option(
      '-o, --output <file>',
      'write it: .json results, .xml JUnit, .md summary (repeatable)',
      collect,
    )
    .option('--json', 'print the results document as JSON')
    .action(async (id: string, opts: RunsShowFlags) => {
      const { runRunsShow } = await import('./commands/runs.js')
      done(await runRunsShow(id, opts, io))
    })

  return program
}

/** Flags of `shipgate eval`. */
export interface EvalFlags {
  config?: string
  suite?: string[]
  tag?: string[]
  repeat?: number
  concurrency?: number
  output?: string[]
  provider?: string[]
  replay?: boolean
  recordMissing?: boolean
  record?: boolean
  passthrough?: boolean
  cassettes?: string
  json?: boolean
  progress: boolean
}

/** Flags of `shipgate proxy`. */
export interface ProxyFlags {
  port: number
  host?: string
  mode: string
  cassettes?: string
  timing: string
  anthropicUpstream: string
  openaiUpstream: string
}

/** Flags of `shipgate runs list`. */
export interface RunsListFlags {
  config?: string
  limit: number
  suite?: string
  branch?: string
  status?: string
  json?: boolean
}

/** Flags of `shipgate runs show`. */
export interface RunsShowFlags {
  config?: string
  output?: string[]
  json?: boolean
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value]
}

function nonNegativeInt(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number')
  return n
}

function positiveInt(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer')
  return n
}
