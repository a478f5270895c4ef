/**
 * Builtin deploy targets by type, imported only when a config uses them, and
 * {@link createTarget}, which the deploy pipeline and `shipgate rollback` call.
 */
import type { DeployTarget, StepOutcome } from '../contracts/deploy.js'
import type { Logger } from '../contracts/logger.js'
import type { TargetConfig } from './schemas.js'

/** Creates a target of one type from its (validated) config. */
export type TargetFactory<C extends TargetConfig> = (
  name: string,
  config: C,
  deps: { logger: Logger },
) => DeployTarget

type FactoryOf<T extends TargetConfig['type']> = TargetFactory<Extract<TargetConfig, { type: T }>>

/** Builtin targets by type. */
export const builtinTargets = {
  command: async (): Promise<FactoryOf<'command'>> =>
    (await import('./command/index.js')).createCommandTarget,
  local: async (): Promise<FactoryOf<'local'>> =>
    (await import('./local/index.js')).createLocalTarget,
  kubernetes: async (): Promise<FactoryOf<'kubernetes'>> =>
    (await import('./kubernetes/index.js')).createKubernetesTarget,
  flags: async (): Promise<FactoryOf<'flags'>> =>
    (await import('./flags/index.js')).createFlagsTarget,
} satisfies { [T in TargetConfig['type']]: () => Promise<FactoryOf<T>> }

/**
 * The target named `name` under `targets:`. Throws when a template in its config does not
 * parse (a config error); everything after creation reports failures as values.
 */
export async function createTarget(
  name: string,
  config: TargetConfig,
  deps: { logger: Logger },
): Promise<DeployTarget> {
  switch (config.type) {
    case 'command':
      return (await builtinTargets.command())(name, config, deps)
    case 'local':
      return (await builtinTargets.local())(name, config, deps)
    case 'kubernetes':
      return (await builtinTargets.kubernetes())(name, config, deps)
    case 'flags':
      return (await builtinTargets.flags())(name, config, deps)
    default:
      return config satisfies never
  }
}

/** Stops a `local` target's supervisor and instances (`shipgate target stop`). */
export async function stopLocalTarget(stateDir: string): Promise<void> {
  await (await import('./local/lifecycle.js')).stopLocalTarget(stateDir)
}

/** Stops a `local` target's instances at weight 0 (after a successful deploy). */
export async function retireLocalInstances(
  stateDir: string,
  options: { drainMs?: number } = {},
): Promise<StepOutcome> {
  return (await import('./local/lifecycle.js')).retireLocalInstances(stateDir, options)
}
