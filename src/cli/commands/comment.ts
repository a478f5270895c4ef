import { defineCommand } from '../define.js'
import { EXIT } from '../io.js'
import { httpUrl, positiveInt } from '../options.js'

/**
 * `shipgate comment`: creates or updates shipgate's comment on a pull request from a verdict and
 * its results; with `--dry-run`, prints the comment instead.
 */
export default defineCommand({
  meta: {
    name: 'comment',
    description:
      "create or update shipgate's comment on a pull request from a gate verdict (token: GITHUB_TOKEN)",
  },
  options: (command) =>
    command
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
      .option(
        '--report-url <url>',
        'link the HTML report from the comment (e.g. the upload-artifact step’s artifact-url)',
        httpUrl,
      )
      .option('--dry-run', 'print the comment instead of posting it'),
  async run({ flags, io }) {
    const { commentOnPullRequest } = await import('../../workflows/comment/index.js')
    const outcome = await commentOnPullRequest({
      cwd: io.cwd,
      env: io.env,
      verdictFile: flags.verdict,
      resultsFile: flags.results,
      marker: flags.marker,
      repo: flags.repo,
      pr: flags.pr,
      dryRun: flags.dryRun === true,
      reportUrl: flags.reportUrl,
      redactor: io.redactor,
    })
    io.stdout(
      outcome.action === 'dry-run' ? outcome.body : `${outcome.action} PR comment ${outcome.url}\n`,
    )
    return EXIT.ok
  },
})
