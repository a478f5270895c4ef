import { defineCommand } from '../define.js'
import { EXIT, json, project } from '../io.js'
import { configOption, jsonOption } from '../options.js'

/** `shipgate select --since REF`: the suites the changes affect, and why. */
export default defineCommand({
  meta: {
    name: 'select',
    description:
      'the suites that changes since a git ref affect, each with the files that selected it',
  },
  options: (command) =>
    command
      .requiredOption(
        '--since <ref>',
        'compare with the merge base of HEAD and this ref (e.g. origin/main)',
      )
      .addOption(configOption())
      .addOption(jsonOption('the selection')),
  async run({ flags, io }) {
    const { selectChanged } = await import('../../workflows/select/index.js')
    const selection = await selectChanged({
      ...project(io, flags.config),
      since: flags.since,
    })
    const { renderSelection } = await import('../../reporters/selection.js')
    io.stdout(flags.json === true ? json(selection) : renderSelection(selection))
    return EXIT.ok
  },
})
