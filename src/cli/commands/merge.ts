import { extname } from 'node:path'
import { mergeResultsFiles } from '../../workflows/results/merge.js'
import { usageError } from '../../errors.js'
import { renderJson } from '../../reporters/json.js'
import { renderSummary } from '../../reporters/terminal.js'
import { EXIT, type CommandIO } from '../io.js'
import type { MergeFlags } from '../program.js'

/**
 * `shipgate merge FILES... -o FILE`: joins shard results into one results document; exit 1
 * when the merged run fails (a suite below its threshold, or a shard that did not complete).
 */
export async function runMergeCommand(
  files: readonly string[],
  flags: MergeFlags,
  io: CommandIO,
): Promise<number> {
  if (flags.output !== '-' && extname(flags.output).toLowerCase() !== '.json') {
    throw usageError(
      `merge writes a .json results file, not ${flags.output}`,
      'use -o merged.json, or -o - for stdout',
    )
  }
  const { outcome, results } = await mergeResultsFiles({
    cwd: io.cwd,
    files,
    output: flags.output,
    allowMissing: flags.allowMissing === true,
    logger: io.logger,
  })
  io.stdout(flags.output === '-' ? renderJson(results) : renderSummary(results, 20))
  return outcome === 'passed' ? EXIT.ok : EXIT.negative
}
