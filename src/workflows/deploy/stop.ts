import type { Logger } from '../../contracts/logger.js'
import { loadConfig } from '../../config/load.js'
import { stopLocalTarget } from '../../deploy-targets/index.js'
import { usageError } from '../../errors.js'
import { targetStateDir, type StoreChoice } from '../project/index.js'

/** Options of {@link stopTarget}. */
export interface StopTargetOptions extends Omit<StoreChoice, 'store'> {
  /** The name under `targets:`; it must be a `local` target. */
  readonly target: string
  readonly logger?: Logger
}

/**
 * `shipgate target stop NAME`: stops a local target's supervisor, proxy and instances. Other
 * target types run on a platform shipgate does not own: a usage error.
 */
export async function stopTarget(options: StopTargetOptions): Promise<void> {
  const loaded = await loadConfig({
    cwd: options.cwd,
    env: options.env,
    shallow: true,
    file: options.configFile,
  })
  const name = options.target
  const config = loaded.config.targets[name]
  if (config === undefined) throw usageError(`no target named ${name} under targets:`)
  if (config.type !== 'local') {
    throw usageError(
      `${name} is a ${config.type} target`,
      'only local targets run processes shipgate can stop',
    )
  }
  await stopLocalTarget(targetStateDir(loaded.dir, name))
}
