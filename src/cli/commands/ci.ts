import { evaluate } from '../../app/eval.js'
import { gate } from '../../app/gate.js'
import type { Reporter } from '../../contracts/reporter.js'
import { writeGithubReports } from '../../reporters/github.js'
import { progressReporter } from '../../reporters/progress.js'
import { renderSummary } from '../../reporters/terminal.js'
import { renderVerdict } from '../../reporters/verdict.js'
import { EXIT, type CommandIO } from '../io.js'
import { reuseOption, suitesSince } from './select.js'
import type { CiFlags } from '../program.js'
import { outputReporters } from '../outputs.js'
import { cassetteChoice } from './eval.js'
import { writeVerdictOutputs } from './gate.js'

/**
 * `shipgate ci`: what a pull request's CI job runs — eval, then the gate on that run against the
 * baseline, then the reports: files (`-o` results, JUnit, summary; `--verdict`, `--comment`), and
 * inside GitHub Actions the job summary and annotations. Exit 1 when a gate check fails.
 */
export async function runCi(flags: CiFlags, io: CommandIO): Promise<number> {
  const since = await suitesSince(flags.since, flags.suite ?? [], io, flags.config)
  const selected = since?.suites
  if (selected !== undefined && selected.length === 0) {
    io.stderr(`nothing to run: no suite is affected by the changes since ${flags.since}\n`)
    return EXIT.ok
  }
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
  const reuse = await reuseOption(flags, since, io, selected ?? flags.suite ?? [])
  const config = flags.config === undefined ? {} : { configFile: flags.config }
  const { outcome, results } = await evaluate({
    cwd: io.cwd,
    env: io.env,
    ...config,
    suites: selected ?? flags.suite ?? [],
    ...(reuse === undefined ? {} : { reuse }),
    tags: flags.tag ?? [],
    ...(flags.repeat === undefined ? {} : { repeat: flags.repeat }),
    ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
    reporters,
    ...(flags.provider === undefined ? {} : { providerOverrides: flags.provider }),
    cassettes: cassetteChoice(flags),
    signal: io.signal,
    logger: io.logger,
  })
  io.stdout(renderSummary(results, 20))
  if (outcome === 'interrupted') return EXIT.interrupted
  const { verdict } = await gate({
    cwd: io.cwd,
    env: io.env,
    ...config,
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
