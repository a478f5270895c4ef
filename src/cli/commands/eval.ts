import type { CassetteChoice } from '../../workflows/eval/cassettes.js'
import { evaluate, type EvalOptions } from '../../workflows/eval/index.js'
import type { Shard } from '../../contracts/results.js'
import { parseShard } from '../../core/eval/shard.js'
import { usageError } from '../../errors.js'
import type { Reporter } from '../../contracts/reporter.js'
import { renderJson } from '../../reporters/json.js'
import { progressReporter } from '../../reporters/progress.js'
import { terminalReporter } from '../../reporters/terminal.js'
import { EXIT, type CommandIO } from '../io.js'
import { reuseOption, suitesSince } from './select.js'
import type { EvalFlags } from '../program.js'
import { outputReporters } from '../outputs.js'

/** `shipgate eval`: runs the suites and reports; exit 1 when a suite is below its threshold. */
export async function runEvalCommand(flags: EvalFlags, io: CommandIO): Promise<number> {
  const reporters = runReporters(flags, io)
  reporters.push(
    flags.json === true
      ? { name: 'json:stdout', onRunEnd: (results) => io.stdout(renderJson(results)) }
      : terminalReporter({ write: io.stdout }),
  )
  const options = await evalOptions(flags, io, reporters)
  if (options === undefined) return EXIT.ok
  const { outcome } = await evaluate(options)
  return outcome === 'passed' ? EXIT.ok : outcome === 'failed' ? EXIT.negative : EXIT.interrupted
}

/** The `-o` file reporters and, unless `--no-progress`, the progress on stderr. */
export function runReporters(
  flags: Pick<EvalFlags, 'output' | 'progress'>,
  io: CommandIO,
): Reporter[] {
  const reporters: Reporter[] = outputReporters(flags.output ?? [], io.cwd)
  if (flags.progress) {
    reporters.push(
      progressReporter({
        write: io.stderr,
        tty: io.stderrIsTTY,
        ...(io.columns === undefined ? {} : { columns: io.columns }),
      }),
    )
  }
  return reporters
}

/**
 * What `eval` and `ci` pass to `evaluate`, from their shared flags: the `--since` selection
 * (`undefined` when it selects nothing: there is nothing to run), `--reuse-baseline`, cassettes
 * and the shard.
 */
export async function evalOptions(
  flags: Omit<EvalFlags, 'json'>,
  io: CommandIO,
  reporters: readonly Reporter[],
): Promise<EvalOptions | undefined> {
  const since = await suitesSince(flags.since, flags.suite ?? [], io, flags.config)
  const suites = since?.suites ?? flags.suite ?? []
  if (since !== undefined && since.suites.length === 0) {
    io.stderr(`nothing to run: no suite is affected by the changes since ${flags.since}\n`)
    return undefined
  }
  const reuse = await reuseOption(flags, since, io, suites)
  return {
    cwd: io.cwd,
    env: io.env,
    ...(flags.config === undefined ? {} : { configFile: flags.config }),
    suites,
    ...(reuse === undefined ? {} : { reuse }),
    tags: flags.tag ?? [],
    ...(flags.repeat === undefined ? {} : { repeat: flags.repeat }),
    ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
    reporters,
    ...(flags.provider === undefined ? {} : { providerOverrides: flags.provider }),
    cassettes: cassetteChoice(flags),
    ...(flags.shard === undefined ? {} : { shard: shardOption(flags.shard) }),
    signal: io.signal,
    logger: io.logger,
  }
}

/** The `--shard i/n` flag, checked. */
function shardOption(text: string): Shard {
  const shard = parseShard(text)
  if (shard === undefined) {
    throw usageError(
      `--shard takes i/n with 1 ≤ i ≤ n, e.g. 2/4 (got "${text}")`,
      'n is how many shards the cases are split into, i which one this run is',
    )
  }
  return shard
}

/** The one cassette mode the flags ask for (at most one may be given) and the directory. */
export function cassetteChoice(
  flags: Pick<EvalFlags, 'replay' | 'recordMissing' | 'record' | 'passthrough' | 'cassettes'>,
): CassetteChoice {
  const modes = (
    [
      ['replay', flags.replay],
      ['record-missing', flags.recordMissing],
      ['record', flags.record],
      ['passthrough', flags.passthrough],
    ] as const
  ).filter(([, on]) => on === true)
  if (modes.length > 1) {
    throw usageError(
      `choose one of ${modes.map(([m]) => `--${m}`).join(', ')}`,
      'they are alternative cassette modes',
    )
  }
  return {
    ...(modes[0] === undefined ? {} : { mode: modes[0][0] }),
    ...(flags.cassettes === undefined ? {} : { dir: flags.cassettes }),
  }
}
