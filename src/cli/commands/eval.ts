import type { Reporter } from '../../contracts/reporter.js'
import type { CassetteChoice, EvalOptions } from '../../workflows/eval/index.js'
import type { WatchEvent } from '../../workflows/watch/index.js'
import { relative } from 'node:path'
import { ConfigError, ShipgateError, formatIssues, usageError } from '../../errors.js'
import { defineCommand } from '../define.js'
import { EXIT, project, untilStopped, type CommandIO } from '../io.js'
import { collect, jsonOption, nonNegativeInt, positiveInt, runOptions } from '../options.js'

/** The flags `eval` and `ci` share (`runOptions`). */
export type RunFlags = ReturnType<ReturnType<typeof runOptions>['opts']>

/** `shipgate eval`: runs the suites and reports; exit 1 when a suite is below its threshold. */
export default defineCommand({
  meta: {
    name: 'eval',
    description: 'run eval suites: cases × repeats against providers, graded by assertions',
  },
  options: (command) =>
    runOptions(command)
      .option(
        '--run-id <id>',
        'with --shard: write into the stored run of this id, shared by every shard (it completes when they all have; a shard run again resumes)',
      )
      .option(
        '--case <id>',
        'run only this case: an id, or suite/id for one suite (repeatable)',
        collect,
      )
      .option(
        '--filter <pattern>',
        'run only cases whose id or description match this regular expression (any case)',
      )
      .option(
        '--first <n>',
        'run only the first n cases of each suite, in file order (after the other narrowing)',
        positiveInt,
      )
      .option('--sample <n>', 'run a uniform random sample of n cases of each suite', positiveInt)
      .option(
        '--seed <number>',
        'with --sample: draw from this number, so the same number picks the same cases',
        nonNegativeInt,
      )
      .option(
        '--rerun-failed [run]',
        'run only the cases that failed or errored in a run: an id or prefix, a results file (default: the latest run of this branch)',
      )
      .option(
        '--resume <run>',
        'continue a run a stop or a killed process cut short (an id, a prefix or latest): keep its finished samples, collect its batches without paying again, run the rest',
      )
      .option(
        '--watch',
        're-run the suites a change to their prompts, cases, assertion files or the config affects, until Ctrl-C',
      )
      .addOption(jsonOption('the results document')),
  async run({ flags, io }) {
    const reporters = await runReporters(flags, io)
    const { createReporter } = await import('../../reporters/index.js')
    reporters.push(
      await createReporter(flags.json === true ? 'json' : 'terminal', { write: io.stdout }),
    )
    const options: EvalOptions = {
      ...(await evalOptions(flags, io, reporters)),
      runId: flags.runId,
      cases: flags.case,
      filter: flags.filter,
      first: flags.first,
      sample: flags.sample,
      seed: flags.seed,
      rerunFailed: flags.rerunFailed,
      resume: flags.resume,
    }
    if (flags.watch === true) return watch(options, io)
    const { evaluate } = await import('../../workflows/eval/index.js')
    const result = await evaluate(options)
    if (result.outcome === 'skipped') {
      io.stderr(`nothing to run: ${result.reason}\n`)
      return EXIT.ok
    }
    if (result.outcome === 'interrupted') return EXIT.interrupted
    return result.outcome === 'passed' ? EXIT.ok : EXIT.negative
  },
})

/** The `-o` file reporters and, unless `--no-progress`, the progress on stderr. */
export async function runReporters(flags: RunFlags, io: CommandIO): Promise<Reporter[]> {
  const { createReporter, fileReporters } = await import('../../reporters/index.js')
  const reporters = await fileReporters(flags.output ?? [], io.cwd)
  if (flags.progress) {
    const stderr = { write: io.stderr, tty: io.stderrIsTTY, columns: io.columns }
    reporters.push(await createReporter('progress', stderr))
  }
  return reporters
}

/** What `eval` and `ci` pass to the stage, from their shared flags. */
export async function evalOptions(
  flags: RunFlags,
  io: CommandIO,
  reporters: readonly Reporter[],
): Promise<EvalOptions> {
  const { renderSelection } = await import('../../reporters/selection.js')
  const { parseShard } = await import('../../workflows/eval/index.js')
  const shard = flags.shard === undefined ? undefined : parseShard(flags.shard)
  if (shard === undefined && flags.shard !== undefined) {
    throw usageError(
      `--shard takes i/n with 1 ≤ i ≤ n, e.g. 2/4 (got "${flags.shard}")`,
      'n is how many shards the cases are split into, i which one this run is',
    )
  }
  return {
    ...project(io, flags.config),
    suites: flags.suite,
    since: flags.since,
    onSelection: (selection) => io.stderr(renderSelection(selection)),
    reuseBaseline: flags.reuseBaseline === true,
    baseline: flags.baseline,
    tags: flags.tag,
    variants: flags.variant,
    repeat: flags.repeat,
    concurrency: flags.concurrency,
    batch: batchChoice(flags),
    reporters,
    providerOverrides: flags.provider,
    cassettes: cassetteChoice(flags),
    shard,
  }
}

/** `--batch`, with `--batch-poll` over the default poll interval. */
function batchChoice(flags: RunFlags): EvalOptions['batch'] {
  if (flags.batch !== true) {
    if (flags.batchPoll !== undefined) {
      throw usageError('--batch-poll needs --batch', 'add --batch, or leave --batch-poll out')
    }
    return undefined
  }
  return flags.batchPoll === undefined ? true : { pollMs: flags.batchPoll }
}

/** The cassette mode the flags ask for (commander refuses two at once) and the directory. */
function cassetteChoice(flags: RunFlags): CassetteChoice {
  const mode =
    flags.replay === true
      ? 'replay'
      : flags.recordMissing === true
        ? 'record-missing'
        : flags.record === true
          ? 'record'
          : flags.passthrough === true
            ? 'passthrough'
            : undefined
  return { mode, dir: flags.cassettes }
}

/** `eval --watch`: runs, then re-runs what each save affects until Ctrl-C (exit 130). */
async function watch(options: EvalOptions, io: CommandIO): Promise<number> {
  const { watchEval } = await import('../../workflows/watch/index.js')
  const handle = await watchEval({
    ...options,
    onEvent: (event) => io.stderr(renderWatchEvent(event, io.cwd)),
  })
  await untilStopped(io)
  await handle.close()
  return EXIT.interrupted
}

/** A watch event as lines on stderr; the run's own summary goes to stdout by its reporter. */
function renderWatchEvent(event: WatchEvent, cwd: string): string {
  switch (event.kind) {
    case 'watching':
      return `watching ${event.files} files in ${event.directories} folders; Ctrl-C stops\n`
    case 'change': {
      if (event.suites.length === 0) return ''
      const files = event.files.map((f) => relative(cwd, f)).join(', ')
      return `\n${files} changed: running ${event.suites.map((s) => s.suite).join(', ')}\n`
    }
    case 'config-error':
      return `${errorText(event.error)}the config is not reloaded; still watching\n`
    case 'run-error':
      return `${errorText(event.error)}still watching\n`
    case 'run-start':
      return ''
    case 'run-end':
      return event.result.outcome === 'skipped' ? `nothing to run: ${event.result.reason}\n` : ''
    default:
      return event satisfies never
  }
}

/** What went wrong, as the error boundary would print it (a bug with its stack). */
function errorText(error: unknown): string {
  if (error instanceof ConfigError)
    return `shipgate: problems in config\n${formatIssues(error.issues)}\n`
  if (error instanceof ShipgateError) {
    return `shipgate: ${error.message}\n${error.hint === undefined ? '' : `  hint: ${error.hint}\n`}`
  }
  return `shipgate: internal error\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
}
