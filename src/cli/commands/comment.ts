import { commentOnPullRequest } from '../../workflows/comment/index.js'
import { EXIT, type CommandIO } from '../io.js'
import type { CommentFlags } from '../program.js'

/**
 * `shipgate comment`: creates or updates shipgate's comment on a pull request from a verdict and
 * its results; with `--dry-run`, prints the comment instead.
 */
export async function runComment(flags: CommentFlags, io: CommandIO): Promise<number> {
  const outcome = await commentOnPullRequest({
    cwd: io.cwd,
    env: io.env,
    verdictFile: flags.verdict,
    resultsFile: flags.results,
    ...(flags.marker === undefined ? {} : { marker: flags.marker }),
    ...(flags.repo === undefined ? {} : { repo: flags.repo }),
    ...(flags.pr === undefined ? {} : { pr: flags.pr }),
    dryRun: flags.dryRun === true,
  })
  if (outcome.action === 'dry-run') io.stdout(outcome.body)
  else io.stdout(`${outcome.action} PR comment ${outcome.url}\n`)
  return EXIT.ok
}
