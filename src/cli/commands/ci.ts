import { resolve } from 'node:path'
import type { RunReport } from '../../contracts/compare.js'
import { writeFileAtomic } from '../../utils/files.js'
import { defineCommand } from '../define.js'
import { EXIT } from '../io.js'
import { httpUrl, runOptions } from '../options.js'
import { evalOptions, runReporters } from './eval.js'
import { approveOption } from './gate.js'

/**
 * `shipgate ci`: what a pull request's CI job runs — eval, then the gate on that run against the
 * baseline, then the reports: files (`-o` results, JUnit, summary; `--verdict`, `--comment`), and
 * inside GitHub Actions the job summary and annotations. Exit 1 when a gate check fails.
 */
export default defineCommand({
  meta: {
    name: 'ci',
    description:
      'the pull-request job: eval, gate against the baseline, reports (files, GitHub job summary and annotations)',
  },
  options: (command) =>
    runOptions(command)
      .addOption(approveOption())
      .option('--verdict <file>', 'write the gate verdict as JSON')
      .option(
        '--comment <file>',
        'write the pull-request comment (markdown) for `shipgate comment`',
      )
      .option(
        '--report-url <url>',
        'link the HTML report (-o report.html, published at this address) from the job summary',
        httpUrl,
      ),
  async run({ flags, io }) {
    const options = await evalOptions(flags, io, await runReporters(flags, io))
    const { ci } = await import('../../workflows/ci/index.js')
    const result = await ci({ ...options, approve: flags.approve })
    if (result.kind === 'skipped') {
      io.stderr(`nothing to run: ${result.evaluation.reason}\n`)
      return EXIT.ok
    }
    const { renderSummary } = await import('../../reporters/terminal.js')
    io.stdout(renderSummary(result.evaluation.results, 20))
    if (result.kind === 'interrupted') return EXIT.interrupted
    const { verdict } = result
    const { renderVerdict, writeVerdictFiles } = await import('../../reporters/verdict.js')
    const files = [flags.verdict, flags.comment].filter((f) => f !== undefined)
    await writeVerdictFiles(files, verdict, result.evaluation.results, io.cwd)
    io.stdout(renderVerdict(verdict))
    await writeHtmlReports(flags.output ?? [], result.report, io.cwd)
    const { writeGithubReports } = await import('../../reporters/github.js')
    await writeGithubReports(
      verdict,
      result.evaluation.results,
      { env: io.env, stdout: io.stdout },
      { reportUrl: flags.reportUrl },
    )
    return verdict.pass ? EXIT.ok : EXIT.negative
  },
})

/**
 * The `-o *.html` reports again, now with the comparison: the run's reporters wrote them when
 * the run ended, before the gate had found the baseline.
 */
async function writeHtmlReports(outputs: readonly string[], report: RunReport, cwd: string) {
  const files = outputs.filter((path) => /\.html?$/i.test(path))
  if (files.length === 0 || report.baseline === undefined) return
  const { renderHtmlReport } = await import('../../reporters/html/index.js')
  const html = renderHtmlReport(report)
  for (const file of files) await writeFileAtomic(resolve(cwd, file), html)
}
