import { defineCommand } from '../define.js'
import { EXIT, json, project } from '../io.js'
import { configOption, jsonOption } from '../options.js'

/** `shipgate smoke TARGET|URL`: the smoke checks; exit 0 when all pass, 1 when one fails. */
export default defineCommand({
  meta: {
    name: 'smoke',
    description:
      'smoke-test a service: health, a query, the rate limit and metrics (or smoke.checks); exit 1 if one fails',
  },
  options: (command) =>
    command
      .argument('<target>', 'a URL (http://…) or a target under targets:')
      .addOption(configOption('for smoke: and targets:'))
      .addOption(jsonOption('the report')),
  async run({ args: [spec], flags, io }) {
    const { smoke } = await import('../../workflows/checks/index.js')
    const { report } = await smoke({ ...project(io, flags.config), spec })
    const { renderSmoke } = await import('../../reporters/checks.js')
    io.stdout(flags.json === true ? json(report) : renderSmoke(report))
    if (io.signal.aborted) return EXIT.interrupted
    return report.passed ? EXIT.ok : EXIT.negative
  },
})
