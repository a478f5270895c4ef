import { dirname, join, relative, resolve } from 'node:path'
import type { Logger } from '../../contracts/logger.js'
import { DEFAULT_CASSETTES } from '../../cassettes/types.js'
import { findConfig, loadConfig } from '../../config/load.js'
import type { Config, PromptConfig } from '../../config/schema.js'
import { ShipgateError } from '../../errors.js'
import { displayPath } from '../../utils/paths.js'

/** The project's own places, which a secret scan always reads, tracked by git or not. */
export interface ProjectPlaces {
  /** The project directory: the config's, or the repository root without a config. */
  readonly dir: string
  /** Files and directories (absolute): cassettes, prompts, cases, `.shipgate/`, the config. */
  readonly paths: readonly string[]
}

/**
 * What the project's `shipgate.yaml` (found upward from `cwd`, within `root`) names: the
 * cassette directory, prompt and case files, and `.shipgate/` (results, reports, the store).
 * Without a config, or with one that does not load, the default places: `cassettes/` and
 * `.shipgate/` (and the config file itself).
 */
export async function projectPlaces(options: {
  readonly cwd: string
  readonly root: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly logger: Logger
}): Promise<ProjectPlaces> {
  const file = configInside(options.cwd, options.root)
  if (file === undefined) return defaults(options.root)
  const dir = dirname(file)
  try {
    const loaded = await loadConfig({ cwd: options.cwd, env: options.env, file })
    return { dir, paths: [file, ...configuredPaths(loaded.config, dir)] }
  } catch (error) {
    if (!(error instanceof ShipgateError)) throw error
    // Its errors may quote config values; they are for `shipgate eval` to show, not a scan log.
    options.logger.warn(
      `${displayPath(file, options.cwd)} does not load (run \`shipgate eval\` to see why): scanning cassettes/ and .shipgate/ next to it, not the prompt and case files it names`,
    )
    return { dir, paths: [file, ...defaults(dir).paths] }
  }
}

function configInside(cwd: string, root: string): string | undefined {
  let file: string
  try {
    file = findConfig({ cwd })
  } catch (error) {
    // No config anywhere upward: a plain repository.
    if (error instanceof ShipgateError) return undefined
    throw error
  }
  return relative(root, file).startsWith('..') ? undefined : file
}

function defaults(dir: string): ProjectPlaces {
  return { dir, paths: [join(dir, DEFAULT_CASSETTES.dir), join(dir, '.shipgate')] }
}

function configuredPaths(config: Config, dir: string): string[] {
  const files = [
    config.cassettes?.dir ?? DEFAULT_CASSETTES.dir,
    '.shipgate',
    ...Object.values(config.prompts).flatMap(promptFiles),
    ...Object.values(config.suites).flatMap((s) => (typeof s.cases === 'string' ? [s.cases] : [])),
  ]
  return files.map((f) => resolve(dir, f))
}

function promptFiles(prompt: PromptConfig): string[] {
  if (typeof prompt === 'string') return [prompt]
  const templates =
    'messages' in prompt ? prompt.messages.map((m) => m.content) : [prompt.system, prompt.user]
  return templates.flatMap((t) => (typeof t === 'object' ? [t.file] : []))
}
