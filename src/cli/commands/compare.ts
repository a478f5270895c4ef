import { compare, costReport } from '../../workflows/compare/index.js'
import { renderComparison, renderCost } from '../../reporters/compare.js'
import { EXIT, type CommandIO } from '../io.js'
import type { CompareFlags, CostFlags } from '../program.js'

/** `shipgate compare A B`: per-case diff and paired deltas of run (or file) B against A. */
export async function runCompare(
  a: string,
  b: string,
  flags: CompareFlags,
  io: CommandIO,
): Promise<number> {
  const comparison = await compare(a, b, {
    cwd: io.cwd,
    env: io.env,
    ...(flags.config === undefined ? {} : { configFile: flags.config }),
    logger: io.logger,
  })
  io.stdout(
    flags.json === true ? `${JSON.stringify(comparison, null, 2)}\n` : renderComparison(comparison),
  )
  return EXIT.ok
}

/** `shipgate cost`: the run's cost against the baseline, and projected per day. */
export async function runCost(flags: CostFlags, io: CommandIO): Promise<number> {
  const report = await costReport({
    cwd: io.cwd,
    env: io.env,
    ...(flags.config === undefined ? {} : { configFile: flags.config }),
    ...(flags.run === undefined ? {} : { run: flags.run }),
    ...(flags.results === undefined ? {} : { results: flags.results }),
    ...(flags.baseline === undefined ? {} : { baseline: flags.baseline }),
    logger: io.logger,
  })
  io.stdout(flags.json === true ? `${JSON.stringify(report, null, 2)}\n` : renderCost(report))
  return EXIT.ok
}
