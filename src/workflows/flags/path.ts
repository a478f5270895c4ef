/**
 * Which flag file `shipgate flags` works on: `--file` (relative to the working directory), else
 * the config's `release.flags` (relative to the config), else `flags.json` next to the config,
 * or in the working directory when there is no config.
 */
import { resolve } from 'node:path'
import { findConfig } from '../../config/load.js'
import { loadProjectConfig } from '../project/index.js'

/** Where to look. */
export interface FlagFileChoice {
  readonly cwd: string
  readonly env: Readonly<Record<string, string | undefined>>
  /** `--file`: the flag file itself. */
  readonly file?: string
  /** `-c`: the config naming it (`release.flags`). */
  readonly configFile?: string
}

/** The default flag file name, next to the config. */
export const DEFAULT_FLAG_FILE = 'flags.json'

/** The absolute path of the flag file to use. */
export async function flagFilePath(choice: FlagFileChoice): Promise<string> {
  if (choice.file !== undefined) return resolve(choice.cwd, choice.file)
  const config = configPath(choice)
  if (config === undefined) return resolve(choice.cwd, DEFAULT_FLAG_FILE)
  const loaded = await loadProjectConfig({ ...choice, configFile: config }, { shallow: true })
  return resolve(loaded.dir, loaded.config.release.flags ?? DEFAULT_FLAG_FILE)
}

/** The config file: `-c` (which must exist), else the one found upward, else none. */
function configPath(choice: FlagFileChoice): string | undefined {
  if (choice.configFile !== undefined)
    return findConfig({ cwd: choice.cwd, file: choice.configFile })
  try {
    return findConfig({ cwd: choice.cwd })
  } catch {
    return undefined
  }
}
