import { Option } from '@commander-js/extra-typings'
import { defineCommand } from '../define.js'
import { EXIT, project } from '../io.js'
import { configOption, jsonOption } from '../options.js'

/** `shipgate rollback TARGET`: exit 0 when every part went back, 1 when one failed. */
export default defineCommand({
  meta: {
    name: 'rollback',
    description:
      'coordinated rollback: code through the target, prompt and model versions by variables or flags',
  },
  options: (command) =>
    command
      .argument('<target>', 'a target under targets: in the config')
      .addOption(configOption())
      .option('--to <ref>', 'release to return to (default: the one before the current)')
      .addOption(
        new Option('--only <part>', 'which part goes back; prompt is the fastest path')
          .choices(['code', 'prompt', 'model', 'all'] as const)
          .default('all' as const),
      )
      .addOption(jsonOption('the result')),
  async run({ args: [target], flags, io }) {
    const { rollback } = await import('../../workflows/deploy/index.js')
    const report = await rollback({
      ...project(io, flags.config),
      logger: io.logger.child('rollback'),
      target,
      to: flags.to,
      only: flags.only === 'all' ? undefined : flags.only,
    })
    const { renderRollback, rollbackJson } = await import('../../reporters/deploy.js')
    io.stdout(flags.json === true ? rollbackJson(report) : renderRollback(target, report))
    return report.ok ? EXIT.ok : EXIT.negative
  },
})
