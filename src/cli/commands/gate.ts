import { extname, resolve } from 'node:path'
import { gate } from '../../workflows/gate/index.js'
import type { GateVerdict } from '../../contracts/gate.js'
import type { ResultsDocument } from '../../contracts/results.js'
import { usageError } from '../../errors.js'
import { writeFileAtomic } from '../../utils/files.js'
import { renderVerdict } from '../../reporters/verdict.js'
import { EXIT, type CommandIO } from '../io.js'
import type { GateFlags } from '../program.js'

/** `shipgate gate`: judges a run against the gates and the baseline; exit 1 when a check fails. */
export async function runGateCommand(flags: GateFlags, io: CommandIO): Promise<number> {
  if (flags.run !== undefined && flags.results !== undefined) {
    throw usageError('give --run or --results, not both', 'the gate judges one run')
  }
  const { verdict, results } = await gate({
    cwd: io.cwd,
    env: io.env,
    ...(flags.config === undefined ? {} : { configFile: flags.config }),
    ...(flags.run === undefined ? {} : { run: flags.run }),
    ...(flags.results === undefined ? {} : { results: flags.results }),
    ...(flags.baseline === undefined ? {} : { baseline: flags.baseline }),
    approve: flags.approve ?? [],
    logger: io.logger,
  })
  await writeVerdictOutputs(flags.output ?? [], verdict, results, io.cwd)
  io.stdout(flags.json === true ? `${JSON.stringify(verdict, null, 2)}\n` : renderVerdict(verdict))
  return verdict.pass ? EXIT.ok : EXIT.negative
}

/** Writes `-o` files of a verdict: `.json` the verdict, `.md` the pull-request comment. */
export async function writeVerdictOutputs(
  paths: readonly string[],
  verdict: GateVerdict,
  results: ResultsDocument,
  cwd: string,
): Promise<void> {
  for (const path of paths) {
    const ext = extname(path).toLowerCase()
    if (ext === '.json') {
      await writeFileAtomic(resolve(cwd, path), `${JSON.stringify(verdict, null, 2)}\n`)
    } else if (ext === '.md') {
      const { renderPrComment } = await import('../../reporters/pr-comment.js')
      await writeFileAtomic(resolve(cwd, path), renderPrComment(verdict, results))
    } else {
      throw usageError(
        `cannot tell the format of -o ${path}`,
        'use .json (the verdict) or .md (the pull-request comment)',
      )
    }
  }
}
