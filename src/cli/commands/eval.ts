import type { Reporter } from '../../contracts/reporter.js'
import type { CassetteChoice, EvalOptions } from '../../workflows/eval/index.js'
import { usageError } from '../../errors.js'
import { defineCommand } from '../define.js'
import { EXIT, project, type CommandIO } from '../io.js'
import { jsonOption, runOptions } from '../options.js'

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
      .addOption(jsonOption('the results document')),
  async run({ flags, io }) {
    const reporters = await runReporters(flags, io)
    const { createReporter } = await import('../../reporters/index.js')
    reporters.push(
      await createReporter(flags.json === true ? 'json' : 'terminal', { write: io.stdout }),
    )
    const { evaluate } = await import('../../workflows/eval/index.js')
    const result = await evaluate({
      ...(await evalOptions(flags, io, reporters)),
      runId: flags.runId,
    })
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
    reporters,
    providerOverrides: flags.provider,
    cassettes: cassetteChoice(flags),
    shard,
  }
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
