import { Command, InvalidArgumentError } from 'commander'
import { shipgateVersion } from '../utils/package.js'
import { cdCommands } from './cd-program.js'
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
    .option(
      '--ci <system>',
      'write the CI pipeline instead: github (.github/workflows/shipgate.yml) or gitlab (.gitlab-ci.yml)',
    )
    .action(async (dir: string, opts: { force?: boolean; ci?: string }) => {
      const { runInit } = await import('./commands/init.js')
      done(
        await runInit(
          { dir, force: opts.force === true, ...(opts.ci === undefined ? {} : { ci: opts.ci }) },
          io,
        ),
      )
    })

  runOptions(
    program
      .command('eval')
      .description('run eval suites: cases × repeats against providers, graded by assertions'),
  )
    .option('--json', 'print the results document as JSON on stdout')
    .option(
      '--shard <i/n>',
      'run only shard i of n: the cases whose hashed id falls there (merge the shards with `shipgate merge`)',
    )
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

  program
    .command('gate')
    .description(
      'judge a run: absolute gates, comparison with the baseline, approvals, coverage and SARIF',
    )
    .option('-c, --config <file>', 'config file (for the gate rules and the store)')
    .option('--run <id>', 'the stored run to judge: id, prefix or latest (default latest)')
    .option('--results <file>', 'judge a results file instead (eval -o, or merge)')
    .option(
      '--baseline <ref>',
      "a branch (its latest completed run in the store), a run id, or a results file (default: the config's gate.baseline, main)",
    )
    .option(
      '--approve <checks>',
      'approve failed checks by key: cost, quality, latency, coverage, findings (comma-separated, repeatable; also SHIPGATE_APPROVE)',
      collect,
    )
    .option(
      '-o, --output <file>',
      'write the verdict: .json, or .md the PR comment (repeatable)',
      collect,
    )
    .option('--json', 'print the verdict as JSON')
    .action(async (opts: GateFlags) => {
      const { runGateCommand } = await import('./commands/gate.js')
      done(await runGateCommand(opts, io))
    })

  program
    .command('merge')
    .description('join the results files of `eval --shard i/n` runs into one results document')
    .argument('<files...>', "the shards' results files (eval --shard i/n -o FILE)")
    .requiredOption('-o, --output <file>', 'the merged results file (.json), or - for stdout')
    .option('--allow-missing', 'merge even when some of the n shards are missing')
    .action(async (files: string[], opts: MergeFlags) => {
      const { runMergeCommand } = await import('./commands/merge.js')
      done(await runMergeCommand(files, opts, io))
    })

  program
    .command('select')
    .description(
      'the suites that changes since a git ref affect, each with the files that selected it',
    )
    .requiredOption(
      '--since <ref>',
      'compare with the merge base of HEAD and this ref (e.g. origin/main)',
    )
    .option('-c, --config <file>', 'config file (default: shipgate.yaml found upward)')
    .option('--json', 'print the selection as JSON')
    .action(async (opts: SelectFlags) => {
      const { runSelect } = await import('./commands/select.js')
      done(await runSelect(opts, io))
    })

  runOptions(
    program
      .command('ci')
      .description(
        'the pull-request job: eval, gate against the baseline, reports (files, GitHub job summary and annotations)',
      ),
  )
    .option(
      '--approve <checks>',
      'approve failed checks by key (comma-separated, repeatable)',
      collect,
    )
    .option('--verdict <file>', 'write the gate verdict as JSON')
    .option('--comment <file>', 'write the pull-request comment (markdown) for `shipgate comment`')
    .action(async (opts: CiFlags) => {
      const { runCi } = await import('./commands/ci.js')
      done(await runCi(opts, io))
    })

  program
    .command('compare')
    .description(
      'run (or results file) B against A: fixed, broken and flaky cases, paired deltas with intervals, cost',
    )
    .argument('<a>', 'the reference: run id, prefix, latest, or a results file')
    .argument('<b>', 'the run compared with it')
    .option('-c, --config <file>', 'config file (for the store location)')
    .option('--json', 'print the comparison as JSON')
    .action(async (a: string, b: string, opts: CompareFlags) => {
      const { runCompare } = await import('./commands/compare.js')
      done(await runCompare(a, b, opts, io))
    })

  program
    .command('cost')
    .description(
      "a run's cost against the baseline, per case and per run, and projected per day in production",
    )
    .option('-c, --config <file>', 'config file (for traffic.requestsPerDay and the store)')
    .option('--run <id>', 'the stored run (default latest)')
    .option('--results <file>', 'a results file instead')
    .option(
      '--baseline <ref>',
      'a branch, a run id, or a results file (default: gate.baseline, main)',
    )
    .option('--json', 'print the report as JSON')
    .action(async (opts: CostFlags) => {
      const { runCost } = await import('./commands/compare.js')
      done(await runCost(opts, io))
    })

  releaseCommands(program, io, done)
  cdCommands(program, io, done)

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

  program
    .command('comment')
    .description(
      "create or update shipgate's comment on a pull request from a gate verdict (token: GITHUB_TOKEN)",
    )
    .requiredOption('--verdict <file>', 'gate verdict (`shipgate gate -o verdict.json`)')
    .requiredOption(
      '--results <file>',
      "the current run's results (`shipgate eval -o results.json`)",
    )
    .option('--marker <key>', 'a key of its own, so several configs can each keep a comment')
    .option('--repo <owner/repo>', 'repository (default: GITHUB_REPOSITORY)')
    .option(
      '--pr <n>',
      'pull request number (default: from the event at GITHUB_EVENT_PATH)',
      positiveInt,
    )
    .option('--dry-run', 'print the comment instead of posting it')
    .action(async (opts: CommentFlags) => {
      const { runComment } = await import('./commands/comment.js')
      done(await runComment(opts, io))
    })

  program
    .command('scan')
    .description(
      'find committed secrets (API keys, tokens, private keys) in tracked files, cassettes, prompts, cases and .shipgate/',
    )
    .argument('[paths...]', 'scan only these files and directories')
    .option('--staged', 'scan the staged content of staged files (a pre-commit hook)')
    .option('--sarif <file>', 'write the findings as SARIF 2.1.0 (GitHub code scanning)')
    .option('--json', 'print the report as JSON')
    .option('--baseline <file>', 'accepted findings (default .shipgate-secrets-baseline.json)')
    .option('--update-baseline', 'accept the current findings: write them to the baseline')
    .action(async (paths: string[], opts: ScanFlags) => {
      const { runScanCommand } = await import('./commands/scan.js')
      done(await runScanCommand(paths, opts, io))
    })

  checkCommands(program, io, done)

  return program
}

/** `smoke` and `monitor`: checks of a deployed service, by URL or target name. */
function checkCommands(program: Command, io: CommandIO, done: (code: number) => void): void {
  program
    .command('smoke')
    .description(
      'smoke-test a service: health, a query, the rate limit and metrics (or smoke.checks); exit 1 if one fails',
    )
    .argument('<target>', 'a URL (http://…) or a target under targets:')
    .option('-c, --config <file>', 'config file (for smoke: and targets:)')
    .option('--json', 'print the report as JSON')
    .action(async (target: string, opts: SmokeFlags) => {
      const { runSmokeCommand } = await import('./commands/smoke.js')
      done(await runSmokeCommand(target, opts, io))
    })

  program
    .command('monitor')
    .description(
      'watch a release interval by interval against monitor: limits and the previous release; exit 0 passed, 1 failed or inconclusive, 3 no metrics',
    )
    .argument('<target>', 'a URL (http://…) or a target under targets:')
    .option('-c, --config <file>', 'config file (for monitor: and targets:)')
    .option('--duration <d>', 'how long to watch (default monitor.duration, 5m)')
    .option('--interval <d>', 'length of each judged interval (default monitor.interval, 30s)')
    .option('--release <id>', 'the release to watch (its `release` label); default all traffic')
    .option('--baseline-release <id>', 'compare with this release (the one deployed before)')
    .option('--once', 'one health check and the spend per hour against thresholds.costPerHourUsd')
    .option(
      '--since <d>',
      'judge the last <d> at once from Prometheus history (a range query) instead of watching',
    )
    .option('--json', 'print the report as JSON')
    .action(async (target: string, opts: MonitorFlags) => {
      const { runMonitorCommand } = await import('./commands/monitor.js')
      done(await runMonitorCommand(target, opts, io))
    })
}

/** Flags of `shipgate smoke`. */
export interface SmokeFlags {
  config?: string
  json?: boolean
}

/** Flags of `shipgate monitor`. */
export interface MonitorFlags {
  config?: string
  duration?: string
  interval?: string
  release?: string
  baselineRelease?: string
  once?: boolean
  since?: string
  json?: boolean
}

/** Flags of `shipgate eval`. */
export interface EvalFlags {
  config?: string
  suite?: string[]
  since?: string
  reuseBaseline?: boolean
  baseline?: string
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
  shard?: string
}

/** Flags of `shipgate gate`. */
export interface GateFlags {
  config?: string
  run?: string
  results?: string
  baseline?: string
  approve?: string[]
  output?: string[]
  json?: boolean
}

/** Flags of `shipgate ci`. */
export interface CiFlags extends Omit<EvalFlags, 'json'>, Pick<GateFlags, 'baseline' | 'approve'> {
  verdict?: string
  comment?: string
}

/** Flags of `shipgate select`. */
export interface SelectFlags {
  since: string
  config?: string
  json?: boolean
}

/** Flags of `shipgate compare`. */
export interface CompareFlags {
  config?: string
  json?: boolean
}

/** Flags of `shipgate cost`. */
export interface CostFlags {
  config?: string
  run?: string
  results?: string
  baseline?: string
  json?: boolean
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

/** Flags of `shipgate comment`. */
export interface CommentFlags {
  verdict: string
  results: string
  marker?: string
  repo?: string
  pr?: number
  dryRun?: boolean
}

/** Flags of `shipgate merge`. */
export interface MergeFlags {
  output: string
  allowMissing?: boolean
}

/** `shipgate release create|list|show|diff`. */
function releaseCommands(program: Command, io: CommandIO, done: (code: number) => void): void {
  const release = program
    .command('release')
    .description('record releases (code, prompts, models, flags, config) and compare them')
  release
    .command('create')
    .description('record the project as a release: saved in the store and .shipgate/release.json')
    .option('-c, --config <file>', 'config file (default: shipgate.yaml found upward)')
    .option('--name <name>', 'a human name for it, e.g. v1.4.0')
    .option(
      '--env <KEY=VALUE>',
      'a runtime setting it runs with, e.g. PROMPT_VERSION=v2 (repeatable; never secrets)',
      collect,
    )
    .option('--json', 'print the manifest as JSON')
    .action(async (opts: ReleaseCreateFlags) => {
      const { runReleaseCreate } = await import('./commands/release.js')
      done(await runReleaseCreate(opts, io))
    })
  release
    .command('list')
    .description('recorded releases, newest first')
    .option('-c, --config <file>', 'config file (for the store location)')
    .option('--limit <n>', 'how many', positiveInt, 20)
    .option('--json', 'print as JSON')
    .action(async (opts: ReleaseListFlags) => {
      const { runReleaseList } = await import('./commands/release.js')
      done(await runReleaseList(opts, io))
    })
  release
    .command('show')
    .description('one release, every part')
    .argument('<ref>', 'release id, id prefix, name, or latest')
    .option('-c, --config <file>', 'config file (for the store location)')
    .option('--json', 'print the manifest as JSON')
    .action(async (ref: string, opts: ReleaseShowFlags) => {
      const { runReleaseShow } = await import('./commands/release.js')
      done(await runReleaseShow(ref, opts, io))
    })
  release
    .command('diff')
    .description(
      'what changed from release A to release B: code, prompts, models, params, flags, config, env',
    )
    .argument('<a>', 'the earlier release: id, prefix, name, or latest')
    .argument('<b>', 'the later release')
    .option('-c, --config <file>', 'config file (for the store location)')
    .option('--json', 'print the diff as JSON')
    .action(async (a: string, b: string, opts: ReleaseDiffFlags) => {
      const { runReleaseDiff } = await import('./commands/release.js')
      done(await runReleaseDiff(a, b, opts, io))
    })
}

/** Flags of `shipgate release create`. */
export interface ReleaseCreateFlags {
  config?: string
  name?: string
  env?: string[]
  json?: boolean
}

/** Flags of `shipgate release list`. */
export interface ReleaseListFlags {
  config?: string
  limit: number
  json?: boolean
}

/** Flags of `shipgate release show`. */
export interface ReleaseShowFlags {
  config?: string
  json?: boolean
}

/** Flags of `shipgate release diff`. */
export type ReleaseDiffFlags = ReleaseShowFlags

/** Flags of `shipgate scan`. */
export interface ScanFlags {
  staged?: boolean
  sarif?: string
  json?: boolean
  baseline?: string
  updateBaseline?: boolean
}

/** The options `eval` and `ci` share: what to run, how, and where the results go. */
function runOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'config file (default: shipgate.yaml found upward)')
    .option('--suite <name>', 'run only this suite (repeatable)', collect)
    .option(
      '--since <ref>',
      'run only the suites that changes since this git ref affect (see select)',
    )
    .option(
      '--reuse-baseline',
      "copy the baseline's results of cases whose prompt, provider config, vars and assertions are unchanged",
    )
    .option(
      '--baseline <ref>',
      'the baseline (of --reuse-baseline, and of the gate in ci): a branch, a run id or a results file (default: gate.baseline, main)',
    )
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
    .option('--no-progress', 'no progress on stderr')
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
