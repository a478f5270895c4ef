import { initProject } from '../../app/init.js'
import { EXIT, type CommandIO } from '../io.js'

/** `shipgate init [dir]`: writes the example project and says what to run next. */
export async function runInit(
  args: { dir: string; force: boolean },
  io: CommandIO,
): Promise<number> {
  const result = await initProject(args.dir === '.' ? io.cwd : args.dir, { force: args.force })
  io.stdout(result.files.map((f) => `created ${f}\n`).join(''))
  const cd = result.dir === io.cwd ? '' : `cd ${result.dir} && `
  io.stderr(`\nnext: ${cd}shipgate eval\n`)
  return EXIT.ok
}
