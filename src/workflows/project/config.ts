import { loadConfig, type LoadedConfig, type LoadOptions } from '../../config/load.js'
import type { ConfigInput } from '../../config/schema.js'

/**
 * Where a stage finds its config, the same for every stage: a file (`configFile`, or
 * `shipgate.yaml` found upward from `cwd`), or a value (`config`) from a library caller.
 */
export interface ConfigChoice {
  readonly cwd: string
  readonly env: Readonly<Record<string, string | undefined>>
  /** Config file (`-c`); otherwise `shipgate.yaml` is found upward from `cwd`. */
  readonly configFile?: string
  /**
   * The config as a value instead of a file, validated like one; not together with
   * `configFile`. Relative paths in it (prompt templates, case files, the store) resolve
   * against `cwd`. It may name what no file can, such as a `function` provider.
   */
  readonly config?: ConfigInput
}

/** Loads the config a stage was given; `more` are the loader's options beyond the choice. */
export function loadProjectConfig(
  choice: ConfigChoice,
  more: Pick<LoadOptions, 'shallow' | 'providerOverrides'> = {},
): Promise<LoadedConfig> {
  const { cwd, env, configFile, config } = choice
  return loadConfig({ ...more, cwd, env, file: configFile, config })
}
