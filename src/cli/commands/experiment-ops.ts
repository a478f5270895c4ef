/**
 * `shipgate experiment judge|start|ship|stop`: grade an online experiment's sampled responses,
 * and start, ship or stop it through its flag. The `experiment` group (experiment.ts) lists
 * these four beside the analysis commands.
 */
import { Option } from '@commander-js/extra-typings'
import { defineCommand } from '../define.js'
import { EXIT, json, project } from '../io.js'
import { configOption, jsonOption, positiveInt } from '../options.js'

const fileOption = () =>
  new Option(
    '--file <file>',
    'the flagd flag file (default: release.flags of shipgate.yaml, else flags.json next to it)',
  )

const reasonOption = () => new Option('--reason <text>', 'why, for the flag history')
const dryRunOption = () => new Option('--dry-run', 'show the change; write and record nothing')

/** `experiment judge NAME`: grade the samples no run has graded yet. */
export const judge = defineCommand({
  meta: {
    name: 'judge',
    description:
      "grade the experiment's sampled responses with the config's judge (each once), stored as outcome events",
  },
  options: (command) =>
    command
      .argument('<name>', 'the experiment, as under experiments: in shipgate.yaml')
      .option('--limit <n>', 'grade at most this many samples, oldest first', positiveInt)
      .option('--concurrency <n>', 'judge calls in flight at most (default 4)', positiveInt)
      .addOption(configOption())
      .addOption(jsonOption('the report')),
  async run({ args: [name], flags, io }) {
    const { experimentJudge } = await import('../../workflows/experiment/index.js')
    const report = await experimentJudge(name, {
      ...project(io, flags.config),
      limit: flags.limit,
      concurrency: flags.concurrency,
    })
    const { renderExperimentJudge } = await import('../../reporters/experiment-ops.js')
    io.stdout(flags.json === true ? json(report) : renderExperimentJudge(report))
    return report.failed > 0 ? EXIT.negative : EXIT.ok
  },
})

/** `experiment start NAME`: the allocation written to the flag. */
export const start = defineCommand({
  meta: {
    name: 'start',
    description:
      "write the experiment's allocation to its flag (refused if users who saw a treatment would switch)",
  },
  options: (command) =>
    command
      .argument('<name>', 'the experiment')
      .option('--force', 'start even when users who already saw a variant would switch')
      .addOption(reasonOption())
      .addOption(dryRunOption())
      .addOption(fileOption())
      .addOption(configOption())
      .addOption(jsonOption('the change')),
  async run({ args: [name], flags, io }) {
    const { experimentStart } = await import('../../workflows/experiment/index.js')
    const result = await experimentStart(name, {
      ...project(io, flags.config),
      file: flags.file,
      reason: flags.reason,
      dryRun: flags.dryRun === true,
      force: flags.force === true,
    })
    const { renderExperimentFlag } = await import('../../reporters/experiment-ops.js')
    io.stdout(flags.json === true ? json(result) : renderExperimentFlag(result))
    return EXIT.ok
  },
})

/** `experiment ship NAME --variant B`: everyone on B, and a release recorded. */
export const ship = defineCommand({
  meta: {
    name: 'ship',
    description: 'serve one variant to everyone (users on it stay) and record a release',
  },
  options: (command) =>
    command
      .argument('<name>', 'the experiment')
      .requiredOption('--variant <variant>', 'the variant everyone gets')
      .addOption(reasonOption())
      .addOption(dryRunOption())
      .addOption(fileOption())
      .addOption(configOption())
      .addOption(jsonOption('the change and the release')),
  async run({ args: [name], flags, io }) {
    const { experimentShip } = await import('../../workflows/experiment/index.js')
    const result = await experimentShip(name, {
      ...project(io, flags.config),
      variant: flags.variant,
      file: flags.file,
      reason: flags.reason,
      dryRun: flags.dryRun === true,
    })
    const { renderExperimentFlag } = await import('../../reporters/experiment-ops.js')
    io.stdout(flags.json === true ? json(result) : renderExperimentFlag(result))
    return EXIT.ok
  },
})

/** `experiment stop NAME`: everyone back on control. */
export const stop = defineCommand({
  meta: {
    name: 'stop',
    description: 'serve control to everyone again (moves users on a treatment back)',
  },
  options: (command) =>
    command
      .argument('<name>', 'the experiment')
      .addOption(reasonOption())
      .addOption(dryRunOption())
      .addOption(fileOption())
      .addOption(configOption())
      .addOption(jsonOption('the change')),
  async run({ args: [name], flags, io }) {
    const { experimentStop } = await import('../../workflows/experiment/index.js')
    const result = await experimentStop(name, {
      ...project(io, flags.config),
      file: flags.file,
      reason: flags.reason,
      dryRun: flags.dryRun === true,
    })
    const { renderExperimentFlag } = await import('../../reporters/experiment-ops.js')
    io.stdout(flags.json === true ? json(result) : renderExperimentFlag(result))
    return EXIT.ok
  },
})
