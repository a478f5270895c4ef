import { usageError } from '../../errors.js'
import { readEnvReference } from '../../utils/env-reference.js'
import { defineCommand, defineGroup } from '../define.js'
import { EXIT, json } from '../io.js'
import { jsonOption } from '../options.js'

/** `shipgate store copy FROM TO`: one store's history into another (SQLite → Postgres). */
const copy = defineCommand({
  meta: {
    name: 'copy',
    description:
      'copy every run, release and deployment from one store to another (what the target has is kept)',
  },
  options: (command) =>
    command
      .argument('<from>', 'a SQLite file, a postgres:// URL, or env:NAME for a URL in NAME')
      .argument('<to>', 'the same forms')
      .addOption(jsonOption('the counts')),
  async run({ args: [from, to], flags, io }) {
    const { copyStore } = await import('../../workflows/project/index.js')
    const location = (value: string): string => fromEnv(value, io.env)
    const report = await copyStore({ from: location(from), to: location(to), cwd: io.cwd })
    const { renderStoreCopy } = await import('../../reporters/runs.js')
    io.stdout(flags.json === true ? json(report) : renderStoreCopy(report))
    return EXIT.ok
  },
})

/**
 * `env:NAME` reads a location from the environment, so a URL with a password need not be typed
 * on a command line (where shell history and process lists keep it).
 */
function fromEnv(value: string, env: Readonly<Record<string, string | undefined>>): string {
  const read = readEnvReference(value, env)
  if ('value' in read) return read.value
  throw usageError(
    `${read.unset} is not set`,
    `export ${read.unset} with the store's location, or give the location itself`,
  )
}

/** `shipgate store copy`. */
export default defineGroup({ name: 'store', description: 'manage the store itself' }, [copy])
