import { InvalidArgumentError, Option } from '@commander-js/extra-typings'
import { defineCommand } from '../define.js'
import { EXIT, json, project } from '../io.js'
import { configOption, jsonOption, positiveInt } from '../options.js'

/**
 * `shipgate ab A B`: variant B against variant A, paired by case, with a decision: two runs, or
 * with `--variants` (or `--run REF`) two variants of one run.
 */
export const ab = defineCommand({
  meta: {
    name: 'ab',
    description:
      "B against A on the same cases (two runs, or --variants of one run): paired tests, a pairwise judge's preference, cost guardrail, a winner only when it holds up, and --plan for the next run",
  },
  options: (command) =>
    command
      .argument(
        '<a>',
        'variant A (the control): run id, prefix, latest, or a results file; with --variants a variant name',
      )
      .argument('<b>', 'variant B (the challenger), the same way')
      .addOption(configOption('for the store location and the judge'))
      .option('--variants', 'A and B name variants of one run (suite[variant]), not runs')
      .option(
        '--run <ref>',
        'the run whose variants to compare: id, prefix, latest (default) or a results file; implies --variants',
      )
      .option('--suite <name>', 'only this suite (its configured name)')
      .option(
        '--pairwise [criteria]',
        "ask the config's judge which output is better, per case in both orders (optionally by these criteria)",
      )
      .option('--judge <provider>', "the judge of --pairwise over the config's judge:")
      .addOption(
        new Option('--primary <metric>', 'the metric the decision rests on')
          .choices(['pass-rate', 'score', 'pairwise'] as const)
          .default('pass-rate' as const),
      )
      .option('--alpha <p>', 'significance level (default 0.05)', probability)
      .option(
        '--cost-margin <x>',
        "the winner's cost may be at most x × the other's (default 1.1)",
        positive,
      )
      .option(
        '--effect <d>',
        'the effect that matters on the primary metric (B - A), e.g. 0.05',
        effect,
      )
      .option('--planned-cases <n>', 'cases the plan called for: no winner below it', positiveInt)
      .option('--plan', 'also plan the cases and repeats a next run needs for --effect')
      .addOption(jsonOption('the report')),
  async run({ args: [a, b], flags, io }) {
    const { abCompare } = await import('../../workflows/ab/index.js')
    const pairwise = flags.pairwise ?? (flags.judge === undefined ? undefined : true)
    const report = await abCompare(a, b, {
      ...project(io, flags.config),
      variants: flags.variants === true,
      run: flags.run,
      suite: flags.suite,
      primary: PRIMARY[flags.primary],
      pairwise:
        pairwise === undefined
          ? undefined
          : { criteria: pairwise === true ? undefined : pairwise, judge: flags.judge },
      alpha: flags.alpha,
      costMargin: flags.costMargin,
      effect: flags.effect,
      plannedCases: flags.plannedCases,
      plan: flags.plan === true,
    })
    const { renderAb } = await import('../../reporters/ab.js')
    io.stdout(flags.json === true ? json(report) : renderAb(report))
    // Interrupted while judging: the calls not made are counted as failed in what was printed.
    return io.signal.aborted ? EXIT.interrupted : EXIT.ok
  },
})

const PRIMARY = { 'pass-rate': 'passRate', score: 'score', pairwise: 'pairwise' } as const

/** A number strictly between 0 and 1. */
function probability(value: string): number {
  const p = Number(value)
  if (!(p > 0 && p < 1)) throw new InvalidArgumentError('expected a number between 0 and 1')
  return p
}

/** A number above 0. */
function positive(value: string): number {
  const x = Number(value)
  if (!(x > 0 && Number.isFinite(x))) throw new InvalidArgumentError('expected a positive number')
  return x
}

/** A non-zero difference, e.g. 0.05 or -0.03. */
function effect(value: string): number {
  const x = Number(value)
  if (!Number.isFinite(x) || x === 0) {
    throw new InvalidArgumentError('expected a non-zero difference, e.g. 0.05')
  }
  return x
}
