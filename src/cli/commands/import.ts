import { defineCommand, defineGroup } from '../define.js'
import { EXIT, json } from '../io.js'
import { jsonOption } from '../options.js'

/** `shipgate import promptfoo [FILE]`: a promptfoo config as a shipgate project. */
const promptfoo = defineCommand({
  meta: {
    name: 'promptfoo',
    description:
      'write a shipgate.yaml (and its prompt, case and script files) equivalent to a promptfoo config; list what could not be mapped, with file:line',
  },
  options: (command) =>
    command
      .argument('[file]', 'the promptfoo config (default: promptfooconfig.yaml here)')
      .option('--out <dir>', 'where to write shipgate.yaml and its files (default: here)')
      .option('--check', 'report what would be written and what is not mapped; write nothing')
      .option('--force', 'overwrite files that exist with other contents')
      .addOption(jsonOption('the import report')),
  async run({ args: [file], flags, io }) {
    const { importPromptfoo } = await import('../../workflows/import/index.js')
    const report = await importPromptfoo({
      cwd: io.cwd,
      env: io.env,
      file,
      out: flags.out,
      check: flags.check === true,
      force: flags.force === true,
    })
    const { renderImport } = await import('../../reporters/import.js')
    io.stdout(flags.json === true ? json(report) : renderImport(report))
    return report.loadIssues.length > 0 ? EXIT.negative : EXIT.ok
  },
})

/** `shipgate import promptfoo`. */
export default defineGroup(
  { name: 'import', description: "bring another tool's eval project into shipgate" },
  [promptfoo],
)
