import { Option } from '@commander-js/extra-typings'
import { defineCommand } from '../define.js'
import { EXIT, json, project } from '../io.js'
import { configOption, date, jsonOption } from '../options.js'
import { baselineOption } from './gate.js'

/** `shipgate compare A B`: per-case diff and paired deltas of run (or file) B against A. */
export const compare = defineCommand({
  meta: {
    name: 'compare',
    description:
      'run (or results file) B against A: fixed, broken and flaky cases, paired deltas with intervals, cost',
  },
  options: (command) =>
    command
      .argument('<a>', 'the reference: run id, prefix, latest, or a results file')
      .argument('<b>', 'the run compared with it')
      .addOption(configOption('for the store location'))
      .addOption(jsonOption('the comparison')),
  async run({ args: [a, b], flags, io }) {
    const { compare } = await import('../../workflows/compare/index.js')
    const comparison = await compare(a, b, project(io, flags.config))
    const { renderComparison } = await import('../../reporters/compare.js')
    io.stdout(flags.json === true ? json(comparison) : renderComparison(comparison))
    return EXIT.ok
  },
})

/** `shipgate cost`: the run's cost against the baseline, and projected per day. */
export const cost = defineCommand({
  meta: {
    name: 'cost',
    description:
      "a run's cost against the baseline, per case and per run, and projected per day in production; with --by, what CI spent per month, branch or suite",
  },
  options: (command) =>
    command
      .addOption(configOption('for traffic.requestsPerDay and the store'))
      .option('--run <id>', 'the stored run (default latest)')
      .addOption(new Option('--results <file>', 'a results file instead').conflicts('run'))
      .addOption(baselineOption())
      .addOption(
        new Option(
          '--by <grouping>',
          'instead: the CI bill of every stored run, by month, branch or suite',
        )
          .choices(['month', 'branch', 'suite'] as const)
          .conflicts(['run', 'results', 'baseline']),
      )
      .option('--since <date>', 'with --by: only runs started at or after this date', date)
      .addOption(jsonOption('the report')),
  async run({ flags, io }) {
    if (flags.by !== undefined) {
      const { ciBill } = await import('../../workflows/compare/index.js')
      const bill = await ciBill({ ...project(io, flags.config), by: flags.by, since: flags.since })
      const { renderBill } = await import('../../reporters/compare.js')
      io.stdout(flags.json === true ? json(bill) : renderBill(bill))
      return EXIT.ok
    }
    const { costReport } = await import('../../workflows/compare/index.js')
    const report = await costReport({
      ...project(io, flags.config),
      run: flags.run,
      results: flags.results,
      baseline: flags.baseline,
    })
    const { renderCost } = await import('../../reporters/compare.js')
    io.stdout(flags.json === true ? json(report) : renderCost(report))
    return EXIT.ok
  },
})
