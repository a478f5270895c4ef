/**
 * The release `experiment ship` records: the project as it is now, with the flag file serving
 * the shipped variant, named `experiment-NAME-VARIANT`. Where the variant's flag value is a
 * release value (`{ release, env }`, how the `flags` deploy target names prompt and model
 * versions), its `PROMPT_VERSION` / `MODEL_VERSION` settings are recorded too; other values
 * name no versions shipgate can tell, and only the flag file's hash records them.
 */
import { resolve } from 'node:path'
import { isReleaseFlagValue, type FlagDefinition } from '@shipgate/runtime/flags'
import type { LoadedConfig } from '../../config/load.js'
import type { ShippedRelease } from '../../contracts/experiment-ops.js'
import type { Logger } from '../../contracts/logger.js'
import { createRelease } from '../release/index.js'
import type { StoreChoice } from '../project/index.js'

/** Records the release of a ship; warns when the config does not name the flag file shipped. */
export async function recordShipRelease(
  loaded: LoadedConfig,
  options: StoreChoice,
  name: string,
  flag: FlagDefinition,
  ship: { readonly logger: Logger; readonly variant: string; readonly flagFile: string },
): Promise<ShippedRelease> {
  const configured = loaded.config.release.flags
  if (configured === undefined || resolve(loaded.dir, configured) !== ship.flagFile) {
    ship.logger.warn(
      `release.flags in the config does not name ${ship.flagFile}: the release records no flag file (set release.flags to it)`,
    )
  }
  const value = flag.variants[ship.variant]
  const env = isReleaseFlagValue(value) ? { ...value.env } : {}
  const { manifest, status } = await createRelease({
    ...options,
    name: `experiment-${name}-${ship.variant}`,
    settings: env,
    logger: ship.logger,
  })
  return { id: manifest.id, name: manifest.name, status, env }
}
