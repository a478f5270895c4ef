import { resolve } from 'node:path'
import { writeFileAtomic } from '../../utils/files.js'
import { defineCommand } from '../define.js'
import { EXIT, json, project } from '../io.js'
import { configOption, jsonOption } from '../options.js'

/** `shipgate report RUN -o report.html`: the self-contained HTML report of a run. */
export default defineCommand({
  meta: {
    name: 'report',
    description:
      'a self-contained HTML report of a run (no script, no request): suites, cases, samples, grades and, with --baseline, the comparison',
  },
  options: (command) =>
    command
      .argument('<run>', 'run id, id prefix, latest, or a results file')
      .addOption(configOption('for the store location'))
      .option('-o, --output <file>', 'the HTML file to write (default: stdout)')
      .option(
        '--baseline <ref>',
        'compare with this run (id, prefix, latest, or a results file): fixed, broken and flaky cases side by side',
      )
      .addOption(jsonOption('the run and comparison instead of HTML')),
  async run({ args: [run], flags, io }) {
    const { runReport } = await import('../../workflows/compare/index.js')
    const report = await runReport(run, { ...project(io, flags.config), baseline: flags.baseline })
    if (flags.json === true) {
      io.stdout(json(report))
      return EXIT.ok
    }
    const { renderHtmlReport } = await import('../../reporters/html/index.js')
    const html = renderHtmlReport(report)
    if (flags.output === undefined) io.stdout(html)
    else {
      await writeFileAtomic(resolve(io.cwd, flags.output), html)
      io.stderr(`wrote ${flags.output}\n`)
    }
    return EXIT.ok
  },
})
