import { evaluate } from '../../workflows/eval/index.js'
import { gate } from '../../workflows/gate/index.js'
import { writeGithubReports } from '../../reporters/github.js'
import { renderSummary } from '../../reporters/terminal.js'
import { renderVerdict } from '../../reporters/verdict.js'
import { EXIT, type CommandIO } from '../io.js'
import type { CiFlags } from '../program.js'
import { evalOptions, runReporters } from './eval.js'
import { writeVerdictOutputs } from './gate.js'

/**
 * `shipgate ci`: what a pull request's CI job runs — eval, then the gate on that run against the
 * baseline, then the reports: files (`-o` results, JUnit, summary; `--verdict`, `--comment`), and
 * inside GitHub Actions the job summary and annotations. Exit 1 when a gate check fails.
 */
export async function runCi(flags: CiFlags, io: CommandIO): Promise<number> {
  const options = await evalOptions(flags, io, runReporters(flags, io))
  if (options === undefined) return EXIT.ok
  const { outcome, results } = await evaluate(options)
  io.stdout(renderSummary(results, 20))
  if (outcome === 'interrupted') return EXIT.interrupted
  const { verdict } = await gate({
    cwd: io.cwd,
    env: io.env,
    ...(flags.config === undefined ? {} : { configFile: flags.config }),
    results,
    ...(flags.baseline === undefined ? {} : { baseline: flags.baseline }),
    approve: flags.approve ?? [],
    logger: io.logger,
  })
  const files = [
    ...(flags.verdict === undefined ? [] : [flags.verdict]),
    ...(flags.comment === undefined ? [] : [flags.comment]),
  ]
  await writeVerdictOutputs(files, verdict, results, io.cwd)
  io.stdout(renderVerdict(verdict))
  await writeGithubReports(verdict, results, { env: io.env, stdout: io.stdout })
  return verdict.pass ? EXIT.ok : EXIT.negative
}
