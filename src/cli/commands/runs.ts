import { Option } from '@commander-js/extra-typings'
import { defineCommand, defineGroup } from '../define.js'
import { EXIT, json, project } from '../io.js'
import { configOption, date, duration, jsonOption, limitOption, outputOption } from '../options.js'

/** `shipgate runs list`: recorded runs, newest first. */
const list = defineCommand({
  meta: { name: 'list', description: 'recorded runs, newest first' },
  options: (command) =>
    command
      .addOption(configOption('for the store location'))
      .addOption(limitOption())
      .option('--suite <name>', 'only runs of this suite (or of its variants, suite[variant])')
      .option('--branch <name>', 'only runs made on this git branch')
      .option(
        '--since <date>',
        'only runs started at or after this date (2026-12-01, or an ISO time)',
        date,
      )
      .addOption(
        new Option('--status <status>', 'only runs with this status').choices([
          'running',
          'completed',
          'interrupted',
          'failed',
        ] as const),
      )
      .addOption(jsonOption('the runs')),
  async run({ flags, io }) {
    const { listRuns } = await import('../../workflows/results/index.js')
    const runs = await listRuns({
      ...project(io, flags.config),
      limit: flags.limit,
      suite: flags.suite,
      branch: flags.branch,
      status: flags.status,
      since: flags.since,
    })
    const { renderRunList } = await import('../../reporters/runs.js')
    io.stdout(flags.json === true ? json(runs) : renderRunList(runs))
    return EXIT.ok
  },
})

/** `shipgate runs show ID`: one run's summary and failures, or its results document. */
const show = defineCommand({
  meta: {
    name: 'show',
    description: 'one run: its suites and failures (ID, a unique prefix of it, or "latest")',
  },
  options: (command) =>
    command
      .argument('<id>', 'run id, id prefix, or latest')
      .addOption(configOption('for the store location'))
      .addOption(outputOption('it: .json results, .xml JUnit, .md summary, .html report'))
      .addOption(jsonOption('the results document')),
  async run({ args: [ref], flags, io }) {
    const { fileReporters } = await import('../../reporters/index.js')
    const reporters = await fileReporters(flags.output ?? [], io.cwd)
    const { showRun } = await import('../../workflows/results/index.js')
    const results = await showRun({ ...project(io, flags.config), ref })
    const { multiplex } = await import('../../reporters/multiplex.js')
    await multiplex(reporters, io.logger).onRunEnd(results)
    const { renderJson } = await import('../../reporters/json.js')
    const { renderSummary } = await import('../../reporters/terminal.js')
    io.stdout(flags.json === true ? renderJson(results) : renderSummary(results, 50))
    return EXIT.ok
  },
})

/** `shipgate runs prune --older-than 90d`: deletes old runs, keeping each branch's baseline. */
const prune = defineCommand({
  meta: {
    name: 'prune',
    description:
      'delete runs older than a retention period, with their samples (running runs and the newest completed run of each branch are kept)',
  },
  options: (command) =>
    command
      .addOption(configOption('for the store location'))
      .requiredOption('--older-than <duration>', 'the retention period: 90d, 36h', duration)
      .option('--dry-run', 'list what would be deleted, delete nothing')
      .addOption(jsonOption('the report')),
  async run({ flags, io }) {
    const { pruneRuns } = await import('../../workflows/results/index.js')
    const report = await pruneRuns({
      ...project(io, flags.config),
      olderThanMs: flags.olderThan,
      dryRun: flags.dryRun === true,
    })
    const { renderPrune } = await import('../../reporters/runs.js')
    io.stdout(flags.json === true ? json(report) : renderPrune(report))
    return EXIT.ok
  },
})

/** `shipgate runs list|show|prune`. */
export default defineGroup({ name: 'runs', description: 'list, show and prune recorded runs' }, [
  list,
  show,
  prune,
])
