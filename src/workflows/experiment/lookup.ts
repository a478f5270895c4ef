/**
 * The experiment a command names, from `experiments:` in shipgate.yaml, and the checks that its
 * flag can serve it: the flag is in the flag file and has every allocated variant. A failed
 * check is a ConfigError at the flag file's line, with the config line that names the flag.
 */
import { readFile } from 'node:fs/promises'
import type { FlagDefinition, FlagFile } from '@shipgate/runtime/flags'
import type { ExperimentConfig } from '../../config/experiment-schema.js'
import type { LoadedConfig } from '../../config/load.js'
import { rawConfigString } from '../../config/raw.js'
import { parseYamlSource, type PathKey } from '../../config/source.js'
import { closest } from '../../config/suggest.js'
import { ConfigError, usageError, type ConfigIssue } from '../../errors.js'

/** The experiment `name` of the config; a usage error naming the experiments there are. */
export function experimentNamed(loaded: LoadedConfig, name: string): ExperimentConfig {
  const experiment = loaded.config.experiments[name]
  if (experiment !== undefined) return experiment
  const known = Object.keys(loaded.config.experiments)
  const guess = closest(name, known)
  throw usageError(
    `no experiment '${name}' in ${loaded.file ?? 'the config'}`,
    known.length === 0
      ? 'add it under `experiments:` in shipgate.yaml (docs/experiments.md)'
      : guess === undefined
        ? `its experiments: ${known.join(', ')}`
        : `did you mean '${guess}'?`,
  )
}

/**
 * The experiment's flag in `flags`; a ConfigError at `path`:line when the flag is missing or
 * lacks one of `variants` (by default every allocated variant and control).
 */
export async function experimentFlag(
  loaded: LoadedConfig,
  name: string,
  flags: FlagFile,
  path: string,
  variants: readonly string[] = allocated(experimentNamed(loaded, name)),
): Promise<FlagDefinition> {
  const experiment = experimentNamed(loaded, name)
  const key = experiment.flag
  const flag = flags.flags[key]
  if (flag === undefined) {
    throw await flagIssue(path, ['flags'], {
      message: `experiment '${name}': the flag file has no flag '${key}' (its flags: ${Object.keys(flags.flags).join(', ') || 'none'})`,
      hint: `add it with its variants (shipgate flags set ${key} --variant ${variants.map((v) => `${v}=VALUE`).join(' --variant ')} --default ${experiment.control}), or fix experiments.${name}.flag${namedAt(loaded, name, 'flag')}`,
    })
  }
  const missing = variants.filter((v) => !Object.hasOwn(flag.variants, v))
  if (missing.length > 0) {
    throw await flagIssue(path, ['flags', key, 'variants'], {
      message: `experiment '${name}': flag '${key}' has no variant ${missing.map((v) => `'${v}'`).join(', ')} (its variants: ${Object.keys(flag.variants).join(', ')})`,
      hint: `add ${missing.length === 1 ? 'it' : 'them'} (shipgate flags set ${key} ${missing.map((v) => `--variant ${v}=VALUE`).join(' ')}), or fix experiments.${name}.allocation${namedAt(loaded, name, 'allocation')}`,
    })
  }
  return flag
}

/** The variants the experiment serves: control and every allocated one, control first. */
export function allocated(experiment: ExperimentConfig): string[] {
  return [...new Set([experiment.control, ...Object.keys(experiment.allocation)])]
}

async function flagIssue(
  path: string,
  at: readonly PathKey[],
  issue: Pick<ConfigIssue, 'message' | 'hint'>,
): Promise<ConfigError> {
  const { source } = parseYamlSource(path, await readFile(path, 'utf8'))
  const where = source === undefined ? {} : source.locate(at)
  return new ConfigError([{ file: path, ...where, ...issue }])
}

/** ` (file:line)` of `experiments.NAME.KEY` in the config file, when there is one. */
function namedAt(loaded: LoadedConfig, name: string, key: 'flag' | 'allocation'): string {
  if (loaded.file === null) return ''
  try {
    const { at } = rawConfigString({ cwd: loaded.dir, file: loaded.file }, [
      'experiments',
      name,
      key,
    ])
    return at.line === undefined ? '' : ` (${at.file}:${at.line}:${at.column ?? 1})`
  } catch {
    return ''
  }
}
