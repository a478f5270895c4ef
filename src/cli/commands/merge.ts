import { extname } from 'node:path'
import { usageError } from '../../errors.js'
import { defineCommand } from '../define.js'
import { EXIT } from '../io.js'

/**
 * `shipgate merge FILES... -o FILE`: joins shard results into one results document; exit 1
 * when the merged run fails (a suite below its threshold, or a shard that did not complete).
 */
export default defineCommand({
  meta: {
    name: 'merge',
    description: 'join the results files of `eval --shard i/n` runs into one results document',
  },
  options: (command) =>
    command
      .argument('<files...>', "the shards' results files (eval --shard i/n -o FILE)")
      .requiredOption('-o, --output <file>', 'the merged results file (.json), or - for stdout')
      .option('--allow-missing', 'merge even when some of the n shards are missing'),
  async run({ args: [files], flags, io }) {
    if (flags.output !== '-' && extname(flags.output).toLowerCase() !== '.json') {
      throw usageError(
        `merge writes a .json results file, not ${flags.output}`,
        'use -o merged.json, or -o - for stdout',
      )
    }
    const { mergeResultsFiles } = await import('../../workflows/results/index.js')
    const { outcome, results } = await mergeResultsFiles({
      cwd: io.cwd,
      files,
      output: flags.output,
      allowMissing: flags.allowMissing === true,
      logger: io.logger,
      redactor: io.redactor,
    })
    const { renderJson } = await import('../../reporters/json.js')
    const { renderSummary } = await import('../../reporters/terminal.js')
    io.stdout(flags.output === '-' ? renderJson(results) : renderSummary(results, 20))
    return outcome === 'passed' ? EXIT.ok : EXIT.negative
  },
})
