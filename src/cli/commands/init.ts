import { CI_FILES, type CiSystem } from '../../workflows/init/ci.js'
import { initProject } from '../../workflows/init/index.js'
import { usageError } from '../../errors.js'
import { EXIT, type CommandIO } from '../io.js'

/** `shipgate init [dir]`: writes the example project and says what to run next. */
export async function runInit(
  args: { dir: string; force: boolean; ci?: string },
  io: CommandIO,
): Promise<number> {
  if (args.ci !== undefined && !Object.hasOwn(CI_FILES, args.ci)) {
    throw usageError(
      `unknown CI system "${args.ci}"`,
      `use one of: ${Object.keys(CI_FILES).join(', ')}`,
    )
  }
  const result = await initProject(args.dir === '.' ? io.cwd : args.dir, {
    force: args.force,
    ...(args.ci === undefined ? {} : { ci: args.ci as CiSystem }),
  })
  io.stdout(result.files.map((f) => `created ${f}\n`).join(''))
  const cd = result.dir === io.cwd ? '' : `cd ${result.dir} && `
  io.stderr(
    args.ci === undefined
      ? `\nnext: ${cd}shipgate eval\n`
      : `\nnext: record cassettes (${cd}shipgate eval --record), commit them and the pipeline file\n`,
  )
  return EXIT.ok
}
