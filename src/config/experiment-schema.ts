/**
 * `experiments:` in `shipgate.yaml`: online experiments of prompt and model versions, served
 * to users through a flag, analyzed by `shipgate experiment analyze`, shipped or stopped by
 * `experiment ship|stop` (docs/experiments.md). Keep descriptions short, they become docs.
 */
import * as z from '../utils/zod.js'

const described = <T extends z.ZodMiniType>(schema: T, text: string): T =>
  schema.check(z.describe(text))
const key = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, . _ -'))
const share = z.number().check(z.gt(0), z.lt(1))
const better = z.enum(['higher', 'lower'])

/** How outcome events become one number per user. */
export const experimentMetricSchema = z.strictObject({
  event: z.optional(
    described(key, 'The outcome event name the SDK tracks (default: the metric name).'),
  ),
  kind: described(
    z.enum(['proportion', 'mean', 'ratio']),
    'proportion: a user counts 1 when any value > 0, else 0 (exposed users without the event count 0); mean: the mean of a user’s values (users without the event are left out); ratio: Σ values / Σ events per user (e.g. cost per request), by the delta method.',
  ),
  better: described(z._default(better, 'higher'), 'Which direction is an improvement.'),
})

/** An experiment: a flag, its variants, metrics, and when it may be decided. */
export const experimentSchema = z.strictObject({
  description: z.optional(described(z.string(), 'What the experiment tries.')),
  flag: described(key, 'The flag in the flag file (release.flags) that assigns users.'),
  control: described(key, 'The flag variant every other is compared with.'),
  allocation: described(
    z.record(key, z.number().check(z.gt(0))),
    'Planned share of users per flag variant (weights, normalized; names every arm). The SRM check tests against it; `experiment start` writes it to the flag.',
  ),
  metrics: described(
    z.record(key, experimentMetricSchema),
    'Metrics by name, computed per user from outcome events.',
  ),
  primary: described(
    z.strictObject({
      metric: described(key, 'A name under `metrics`.'),
      effect: described(
        z.number().check(z.positive()),
        'The smallest difference worth detecting, in the metric’s units (0.02 = two points).',
      ),
      sided: z._default(z.enum(['two-sided', 'one-sided']), 'two-sided'),
    }),
    'The metric a winner must improve, significantly.',
  ),
  guardrails: described(
    z._default(
      z.array(
        z.strictObject({
          metric: described(key, 'A name under `metrics`.'),
          margin: described(
            z.number().check(z.positive()),
            'The allowed worsening: 0.1 is 10% of control’s mean (relative) or 0.1 units.',
          ),
          relative: z._default(z.boolean(), true),
        }),
      ),
      [],
    ),
    'Metrics a winner must be shown not to worsen by more than `margin`.',
  ),
  alpha: described(z._default(share, 0.05), 'Chance of a false winner, over every look.'),
  minUsersPerArm: described(
    z._default(z.int().check(z.nonnegative()), 0),
    'No winner before every arm has this many users.',
  ),
  minDays: described(
    z._default(z.number().check(z.nonnegative()), 7),
    'No winner before this many days (weekly cycles).',
  ),
  plannedDays: described(
    z.number().check(z.positive()),
    'The planned end: without a winner by then, "no detectable difference".',
  ),
  judge: z.optional(
    described(
      z.strictObject({
        sampleRate: described(
          z._default(z.number().check(z.gt(0), z.maximum(1)), 0.05),
          'Share of responses the SDK samples for grading (its `sampleRate`).',
        ),
        rubric: described(
          z.string().check(z.minLength(1)),
          'What a good answer is: the llm-rubric the configured `judge:` grades samples with.',
        ),
        metric: described(
          z._default(key, 'judge_score'),
          'Outcome event name the grades are recorded as (0–1); add it under `metrics` to analyze it.',
        ),
      }),
      'Online LLM-as-judge: `shipgate experiment judge NAME` grades sampled responses later.',
    ),
  ),
})

export type ExperimentConfig = z.output<typeof experimentSchema>
export type ExperimentMetricConfig = z.output<typeof experimentMetricSchema>
