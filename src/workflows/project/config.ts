import { loadConfig, type LoadedConfig, type LoadOptions } from '../../config/load.js'
import type { ConfigInput } from '../../config/schema.js'
import type { Redactor } from '../../utils/redact.js'
import { configSecrets } from './secrets.js'

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
  /**
   * The process's redactor (the CLI's output streams): told the config's secret values as soon
   * as the config is loaded, so that nothing printed afterwards can carry them.
   */
  readonly redactor?: Redactor
}

/**
 * Loads the config a stage was given; `more` are the loader's options beyond the choice. The
 * choice's redactor learns the config's secrets.
 */
export async function loadProjectConfig(
  choice: ConfigChoice,
  more: Pick<LoadOptions, 'shallow' | 'providerOverrides'> = {},
): Promise<LoadedConfig> {
  const { cwd, env, configFile, config } = choice
  const loaded = await loadConfig({ ...more, cwd, env, file: configFile, config })
  choice.redactor?.add(configSecrets(loaded, env))
  return loaded
}
