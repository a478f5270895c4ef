import { Option } from '@commander-js/extra-typings'
import { defineCommand } from '../define.js'
import { EXIT, json, project } from '../io.js'
import { collect, configOption, jsonOption } from '../options.js'

/** `shipgate gate`: judges a run against the gates and the baseline; exit 1 when a check fails. */
export default defineCommand({
  meta: {
    name: 'gate',
    description:
      'judge a run: absolute gates, comparison with the baseline, approvals, coverage and SARIF',
  },
  options: (command) =>
    command
      .addOption(configOption('for the gate rules and the store'))
      .addOption(
        new Option('--run <id>', 'the stored run to judge: id, prefix or latest (default latest)'),
      )
      .addOption(
        new Option(
          '--results <file>',
          'judge a results file instead (eval -o, or merge)',
        ).conflicts('run'),
      )
      .addOption(baselineOption())
      .addOption(approveOption())
      .option(
        '-o, --output <file>',
        'write the verdict: .json, or .md the PR comment (repeatable)',
        collect,
      )
      .addOption(jsonOption('the verdict')),
  async run({ flags, io }) {
    const { gate } = await import('../../workflows/gate/index.js')
    const { verdict, results } = await gate({
      ...project(io, flags.config),
      run: flags.run,
      results: flags.results,
      baseline: flags.baseline,
      approve: flags.approve,
    })
    const { writeVerdictFiles, renderVerdict } = await import('../../reporters/verdict.js')
    await writeVerdictFiles(flags.output ?? [], verdict, results, io.cwd)
    io.stdout(flags.json === true ? json(verdict) : renderVerdict(verdict))
    return verdict.pass ? EXIT.ok : EXIT.negative
  },
})

/** `--baseline <ref>`, as gate, cost and ci read it. */
export function baselineOption() {
  return new Option(
    '--baseline <ref>',
    "a branch (its latest completed run in the store), a run id, or a results file (default: the config's gate.baseline, main)",
  )
}

/** `--approve <checks>` (repeatable). */
export function approveOption() {
  return new Option(
    '--approve <checks>',
    'approve failed checks by key: cost, quality, latency, coverage, findings (comma-separated, repeatable; also SHIPGATE_APPROVE)',
  ).argParser(collect)
}
