/**
 * `shipgate experiment list|collect|import|analyze`: online experiments' events, from the SDK
 * into the store, and their analysis (docs/experiments.md).
 */
import { resolve } from 'node:path'
import { Option } from '@commander-js/extra-typings'
import { writeFileAtomic } from '../../utils/files.js'
import { defineCommand, defineGroup, type CommandEntry } from '../define.js'
import { EXIT, json, project, untilStopped } from '../io.js'
import { configOption, date, jsonOption, nonNegativeInt, positiveInt } from '../options.js'
import { judge, ship, start, stop } from './experiment-ops.js'

const list = defineCommand({
  meta: {
    name: 'list',
    description: 'the experiments of shipgate.yaml and the events the store holds of each',
  },
  options: (command) => command.addOption(configOption()).addOption(jsonOption('the experiments')),
  async run({ flags, io }) {
    const { listExperiments } = await import('../../workflows/experiment/index.js')
    const entries = await listExperiments(project(io, flags.config))
    const { renderExperimentList } = await import('../../reporters/experiment.js')
    io.stdout(flags.json === true ? json(entries) : renderExperimentList(entries))
    return EXIT.ok
  },
})

/** Serves until Ctrl-C or SIGTERM (exit 130); its URL goes to stdout. */
const collect = defineCommand({
  meta: {
    name: 'collect',
    description:
      'serve the collector endpoint the SDK posts events to (POST /v1/events, NDJSON) into the store',
  },
  options: (command) =>
    command
      .addOption(configOption('for the store and experiments:'))
      .option('--port <n>', 'port to listen on (0 picks one)', nonNegativeInt, 8791)
      .option('--host <host>', 'address to bind (default 127.0.0.1; others need a token)')
      .option(
        '--token-env <name>',
        'environment variable holding the bearer token senders must send (default SHIPGATE_COLLECTOR_TOKEN; required off loopback)',
      ),
  async run({ flags, io }) {
    const { serveCollector } = await import('../../workflows/experiment/index.js')
    const collector = await serveCollector({
      ...project(io, flags.config),
      port: flags.port,
      host: flags.host,
      tokenEnv: flags.tokenEnv,
    })
    io.stdout(`${collector.url}\n`)
    const auth = collector.authenticated ? 'bearer token required' : 'no token (loopback only)'
    io.stderr(
      `shipgate experiment collector on ${collector.url} (${auth})\n  POST ${collector.url}/v1/events\n`,
    )
    await untilStopped(io)
    await collector.close()
    return EXIT.interrupted
  },
})

const importEvents = defineCommand({
  meta: {
    name: 'import',
    description: "store the events of a JSONL file the SDK's jsonlSink wrote (again: nothing new)",
  },
  options: (command) =>
    command
      .argument('<file>', 'the JSONL file, one event a line')
      .option('--experiment <name>', "only this experiment's events")
      .option('--batch-size <n>', 'events per transaction (default 1000)', positiveInt)
      .addOption(configOption('for the store'))
      .addOption(jsonOption('the counts')),
  async run({ args: [file], flags, io }) {
    const { importExperimentEvents } = await import('../../workflows/experiment/index.js')
    const report = await importExperimentEvents(file, {
      ...project(io, flags.config),
      experiment: flags.experiment,
      batchSize: flags.batchSize,
    })
    const { renderExperimentImport } = await import('../../reporters/experiment.js')
    io.stdout(flags.json === true ? json(report) : renderExperimentImport(report))
    return EXIT.ok
  },
})

/** Exit 0 for every analyzed outcome, keep-running too; 1 when the data are invalid (SRM). */
const analyze = defineCommand({
  meta: {
    name: 'analyze',
    description:
      "decide an experiment from the store's events: winner, keep running, no detectable difference, or invalid (exit 1)",
  },
  options: (command) =>
    command
      .argument('<name>', 'the experiment, as under experiments: in shipgate.yaml')
      .option(
        '--as-of <time>',
        'analyze the events before this ISO time (default: up to the last event)',
        date,
      )
      .addOption(
        new Option('--format <format>', 'how to print the report')
          .choices(['text', 'json', 'md'] as const)
          .default('text' as const),
      )
      .addOption(jsonOption('the report (same as --format json)'))
      .option(
        '--markdown <file>',
        'also write the report as markdown to this file (e.g. $GITHUB_STEP_SUMMARY)',
      )
      .addOption(configOption('for experiments: and the store')),
  async run({ args: [name], flags, io }) {
    const { analyzeExperiment } = await import('../../workflows/experiment/index.js')
    const report = await analyzeExperiment(name, { ...project(io, flags.config), asOf: flags.asOf })
    const { renderExperimentMarkdown, renderExperimentReport } =
      await import('../../reporters/experiment.js')
    const format = flags.json === true ? 'json' : flags.format
    io.stdout(
      format === 'json'
        ? json(report)
        : format === 'md'
          ? renderExperimentMarkdown(report)
          : renderExperimentReport(report),
    )
    if (flags.markdown !== undefined)
      await writeFileAtomic(resolve(io.cwd, flags.markdown), renderExperimentMarkdown(report))
    return report.decision.outcome === 'invalid' ? EXIT.negative : EXIT.ok
  },
})

/** The group's subcommands in help order; more are added to this list. */
export const EXPERIMENT_COMMANDS: readonly CommandEntry[] = [
  list,
  collect,
  importEvents,
  analyze,
  judge,
  start,
  ship,
  stop,
]

/** `shipgate experiment ...`. */
export default defineGroup(
  {
    name: 'experiment',
    description:
      'online experiments: collect and import the SDK’s events, list them, analyze, judge sampled answers, start, ship or stop an experiment',
  },
  EXPERIMENT_COMMANDS,
)
