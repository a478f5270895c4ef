import { targetStateDir } from '../../workflows/project/target.js'
import { loadConfig } from '../../config/load.js'
import { stopLocalTarget } from '../../deploy-targets/index.js'
import { usageError } from '../../errors.js'
import type { TargetFlags } from '../cd-program.js'
import { EXIT, type CommandIO } from '../io.js'

/** `shipgate target stop NAME`: stops a local target's supervisor, proxy and instances. */
export async function runTargetStop(
  name: string,
  flags: TargetFlags,
  io: CommandIO,
): Promise<number> {
  const loaded = await loadConfig({
    cwd: io.cwd,
    env: io.env,
    shallow: true,
    ...(flags.config === undefined ? {} : { file: flags.config }),
  })
  const config = loaded.config.targets[name]
  if (config === undefined) throw usageError(`no target named ${name} under targets:`)
  if (config.type !== 'local') {
    throw usageError(
      `${name} is a ${config.type} target`,
      'only local targets run processes shipgate can stop',
    )
  }
  await stopLocalTarget(targetStateDir(loaded.dir, name))
  io.stdout(`stopped ${name}\n`)
  return EXIT.ok
}
