import { assertionTypeNames } from '../assertions/index.js'
import { CASSETTE_MODES, DEFAULT_CASSETTES } from '../cassettes/types.js'
import { DEFAULT_BASELINE_BRANCH, DEFAULT_BUDGET, DEFAULT_COMPARE } from '../core/gate/defaults.js'
import { providerSchema } from '../providers/schemas.js'
import { DEFAULT_STORE } from '../stores/index.js'
import * as z from '../utils/zod.js'
import {
  deploySchema,
  monitorSchema,
  rolloutSchema,
  notifierSchema,
  releaseSchema,
  smokeSchema,
  targetSchema,
} from './deploy-schema.js'
import { experimentSchema } from './experiment-schema.js'
import { configName } from './names.js'
import { section } from './section.js'
import { toolsSchema } from './tools-schema.js'
import { matrixSchema, variantsSchema } from './variant-schema.js'

/** Names of providers, prompts and suites: letters, digits, `.`, `_` and `-`. */
const name = configName

const vars = z.record(z.string(), z.unknown())

/**
 * Most samples per case (`repeat`, `--repeat`): every sample of a run is held in memory until
 * the run is written, so an unbounded repeat would exhaust it.
 */
export const MAX_REPEAT = 1000

/**
 * Most samples (cases × repeat, over all suites) one run may take, after `--suite`, `--tag` and
 * `--shard`: a run holds its samples in memory (about 3 KB each; 200,000 took 626 MB).
 */
export const MAX_SAMPLES = 100_000
/**
 * {@link MAX_SAMPLES} with its thousands grouped, for the schema's description, which is built
 * when the module loads: `toLocaleString` there would start `Intl` on every start-up (~10 ms).
 */
const MAX_SAMPLES_TEXT = String(MAX_SAMPLES).replace(/\B(?=(\d{3})+$)/g, ',')

const share = z.number().check(z.minimum(0), z.maximum(1))
const count = z.int().check(z.nonnegative())
const described = <T extends z.ZodMiniType>(schema: T, text: string): T =>
  schema.check(z.describe(text))

/** JavaScript that reshapes the output before grading (docs/assertions.md#transform). */
const transform = (what: string) =>
  described(
    z.string().check(z.minLength(1)),
    `JavaScript that reshapes the output before ${what}: an expression (or function body) of \`output\` and \`context\`, or file://path.js (its default export).`,
  )

/** An assertion, written as in promptfoo. */
export const assertionSchema = described(
  z.strictObject({
    type: described(
      z.enum(assertionTypeNames as [string, ...string[]]),
      'Assertion type; `not-` inverts it.',
    ),
    value: z.optional(
      described(z.unknown(), 'What to check against; its shape depends on the type.'),
    ),
    threshold: z.optional(
      described(z.number(), 'Limit or minimum score, for the types that take one.'),
    ),
    weight: described(
      z._default(z.number().check(z.nonnegative()), 1),
      'Share of the case score; 0 is informational.',
    ),
    metric: z.optional(described(z.string(), 'Name to report the score under.')),
    provider: z.optional(
      described(name, 'Judge provider of a model-graded assertion, over the `judge:` setting.'),
    ),
    prompt: z.optional(
      described(name, 'Judge prompt of a model-graded assertion: an entry under `prompts`.'),
    ),
    transform: z.optional(transform('this assertion, after the suite and case transforms')),
  }),
  'An assertion: { type, value, threshold, weight }.',
)

/** Which providers judge model-graded assertions, and with which prompts. */
export const judgeSchema = z.union([
  described(name, 'The judge provider: an entry under `providers`.'),
  z.strictObject({
    provider: described(name, 'Provider of llm-rubric, g-eval, factuality and pairwise.'),
    embeddings: z.optional(
      described(name, 'Provider of embeddings (similar, answer-relevance); default `provider`.'),
    ),
    prompts: described(
      z._default(z.record(z.string(), name), {}),
      'Judge prompts by assertion type, overriding the built-in ones: entries under `prompts`.',
    ),
  }),
])

/** When a case whose samples repeat passes. */
const casePass = z.union([
  described(z.enum(['all', 'majority']), 'all: every sample passes; majority: more than half.'),
  described(share, 'At least this share of samples passes.'),
])

/** A test case. */
/** Samples per case: of a suite, or of one case over its suite's. */
const repeatCount = z.int().check(z.minimum(1), z.maximum(MAX_REPEAT))

export const caseSchema = described(
  z.strictObject({
    id: z.optional(
      described(
        z.string().check(z.minLength(1)),
        'Stable id; derived from the suite and vars when absent.',
      ),
    ),
    description: z.optional(described(z.string(), 'What the case checks; shown in reports.')),
    vars: described(z._default(vars, {}), 'Template variables of the prompt.'),
    assert: z._default(z.array(assertionSchema), []),
    tags: described(z._default(z.array(z.string()), []), 'Select with `shipgate eval --tag`.'),
    threshold: z.optional(
      described(share, 'Pass on weighted score >= threshold instead of every assertion passing.'),
    ),
    repeat: z.optional(described(repeatCount, "Samples of this case, over the suite's `repeat`.")),
    transform: z.optional(transform("this case's assertions, after the suite's transform")),
  }),
  'A test case.',
)

/** A template: inline text, or `{ file }` relative to the config file. */
const template = z.union([z.string(), z.strictObject({ file: z.string().check(z.minLength(1)) })])

/** A prompt: a template file (the user message), `{ system, user }`, or a message list. */
export const promptSchema = z.union([
  described(
    z.string().check(z.minLength(1)),
    'Path of a template file, rendered as the user message.',
  ),
  z.strictObject({ system: z.optional(template), user: template }),
  z.strictObject({
    messages: z
      .array(z.strictObject({ role: z.enum(['system', 'user', 'assistant']), content: template }))
      .check(z.minLength(1)),
  }),
])

/** A suite: a prompt and a provider run over cases with assertions. */
export const suiteSchema = described(
  z.strictObject({
    description: z.optional(described(z.string(), 'What the suite checks.')),
    prompt: z.optional(
      described(
        name,
        'Name of an entry under `prompts`; with variants, the default of those that set none.',
      ),
    ),
    provider: z.optional(
      described(
        name,
        'Name of an entry under `providers`; with variants, the default of those that set none.',
      ),
    ),
    variants: z.optional(variantsSchema),
    matrix: z.optional(matrixSchema),
    cases: described(
      z.union([z.string().check(z.minLength(1)), z.array(caseSchema)]),
      'Inline cases, or a .yaml, .jsonl or .csv file of them.',
    ),
    assert: described(
      z._default(z.array(assertionSchema), []),
      'Assertions applied to every case.',
    ),
    vars: described(z._default(vars, {}), 'Variables every case starts from.'),
    transform: z.optional(transform('every assertion of the suite')),
    repeat: described(
      z._default(repeatCount, 1),
      `Samples per case (at most ${MAX_REPEAT}; a run takes at most ${MAX_SAMPLES_TEXT} samples in all).`,
    ),
    casePass: described(z._default(casePass, 'all'), 'When a case with repeats passes.'),
    k: z.optional(
      described(
        z.int().check(z.minimum(1), z.maximum(MAX_REPEAT)),
        'The k of pass@k and pass^k (default: repeat).',
      ),
    ),
    judge: z.optional(described(judgeSchema, 'Judge of this suite, over the top-level one.')),
    tools: z.optional(toolsSchema),
    depends_on: z.optional(
      described(
        z.array(z.string().check(z.minLength(1))),
        'Globs (relative to this file) of more files whose change selects this suite in `shipgate select`.',
      ),
    ),
    threshold: described(z._default(share, 1), 'Minimum pass rate of the suite.'),
    tags: described(z._default(z.array(z.string()), []), 'Tags given to every case.'),
    trustCases: described(
      z._default(z.boolean(), false),
      'Let the cases file run code (javascript assertions) and read files outside the project directory (file://); see docs/security.md.',
    ),
  }),
  'A suite of cases.',
)

/** How the runner schedules provider calls. */
export const runnerSchema = z.strictObject({
  concurrency: described(
    z._default(z.int().check(z.positive()), 8),
    'Provider calls in flight at once, over all providers.',
  ),
  timeoutMs: described(z._default(z.int().check(z.positive()), 60_000), 'Per-call timeout.'),
  retries: described(
    z._default(count, 3),
    'Retries of a retryable failure: 429, 5xx, a timeout, a dropped connection or a malformed 2xx (docs/providers.md).',
  ),
  backoffMs: described(z._default(count, 1_000), 'First backoff; doubles per retry, with jitter.'),
  maxBackoffMs: described(z._default(count, 30_000), 'Longest backoff between retries.'),
  maxRetryAfterMs: described(z._default(count, 60_000), 'Longest retry-after that is waited for.'),
  graceMs: described(z._default(count, 2_000), 'On Ctrl-C, how long calls in flight may finish.'),
})

const usd = z.number().check(z.nonnegative())

/** Record and replay of LLM traffic (the response cache too). */
export const cassettesSchema = z.strictObject({
  dir: described(
    z._default(z.string(), DEFAULT_CASSETTES.dir),
    'Directory of the cassette files (commit it).',
  ),
  mode: described(
    z._default(z.enum(CASSETTE_MODES), DEFAULT_CASSETTES.mode),
    'replay: only recordings, a miss fails; record-missing: the response cache; record: re-record all; passthrough: off.',
  ),
  timing: described(
    z._default(z.enum(['instant', 'recorded']), DEFAULT_CASSETTES.timing),
    'Replayed streams: at once, or at their recorded pace.',
  ),
  ignoreBodyFields: z.optional(
    described(
      z.array(z.string()),
      'Request body fields left out of the key (default: user, metadata, safety_identifier).',
    ),
  ),
})

/** Settings that apply only when the environment variable CI is "true" (seed §7.2). */
const ciSchema = z.strictObject({
  providers: described(
    z._default(z.record(name, z.record(z.string(), z.unknown())), {}),
    'Partial provider settings merged in on CI, e.g. a cheaper model and max_tokens.',
  ),
})

const limit = (text: string) => z.optional(described(z.number().check(z.nonnegative()), text))

/** Absolute limits on a suite's (or the whole run's) figures; each is checked when set. */
const thresholdsSchema = z.strictObject({
  passRate: z.optional(described(share, 'Minimum pass rate.')),
  score: z.optional(described(share, 'Minimum mean score.')),
  errorRate: z.optional(described(share, 'Maximum share of samples that errored.')),
  latencyP50Ms: limit('Maximum p50 latency in ms.'),
  latencyP95Ms: limit('Maximum p95 latency in ms.'),
  costPerCaseUsd: limit('Maximum cost per case in USD.'),
  totalCostUsd: limit('Maximum total cost of the run in USD.'),
})

/** The seed's gate checklist beyond evals: files other tools write (§7.1). */
const externalSchema = {
  coverage: z.optional(
    described(
      z.strictObject({
        file: described(
          z.string().check(z.minLength(1)),
          'lcov.info, Cobertura XML or istanbul coverage-summary.json.',
        ),
        min: described(
          z.number().check(z.minimum(0), z.maximum(100)),
          'Minimum line coverage in %.',
        ),
      }),
      'Test coverage gate.',
    ),
  ),
  sarif: described(
    z._default(
      z.array(
        z.strictObject({
          file: described(z.string().check(z.minLength(1)), 'A SARIF 2.1 file (lint, SAST).'),
          name: z.optional(described(z.string(), 'Name of the check in reports.')),
          maxErrors: z.optional(described(count, 'Most results of level `error`.')),
          maxWarnings: z.optional(described(count, 'Most results of level `warning`.')),
          maxCritical: z.optional(
            described(count, 'Most results whose rule has security-severity >= 9.0.'),
          ),
        }),
      ),
      [],
    ),
    'Lint and security findings gates, from SARIF files.',
  ),
}

const pct = z.number().check(z.nonnegative())

/** How the run is compared with its baseline; the defaults are the gate's own (core/gate). */
const compareSchema = z.strictObject({
  maxCostIncreasePct: described(
    z._default(pct, DEFAULT_COMPARE.maxCostIncreasePct),
    'Cost per provider call may rise at most this much vs the baseline (in percent).',
  ),
  maxLatencyP95IncreasePct: described(
    z._default(pct, DEFAULT_COMPARE.maxLatencyP95IncreasePct),
    'p95 latency may rise at most this much vs the baseline.',
  ),
  minLatencyIncreaseMs: described(
    z._default(pct, DEFAULT_COMPARE.minLatencyIncreaseMs),
    'A p95 rise smaller than this many ms never fails, whatever its %: loopback noise.',
  ),
  alpha: described(
    z._default(z.number().check(z.positive(), z.maximum(0.5)), DEFAULT_COMPARE.alpha),
    'Significance level of the pass-rate and score drop tests (Holm-adjusted).',
  ),
  newlyFailing: described(
    z._default(z.enum(['fail', 'report']), DEFAULT_COMPARE.newlyFailing),
    'Whether cases that passed in the baseline and fail now fail the gate.',
  ),
})

/** The monthly CI budget: the month's spend, projected to its end, against a limit. */
const budgetSchema = z.strictObject({
  monthlyUsd: described(
    z.number().check(z.positive()),
    'What CI may spend in a calendar month (UTC), in USD: models and judges of every stored run, replayed answers not counted.',
  ),
  warnAt: described(
    z._default(z.number().check(z.positive(), z.maximum(1)), DEFAULT_BUDGET.warnAt),
    'Warn when the projected month reaches this share of the budget.',
  ),
  onExceed: described(
    z._default(z.enum(['fail', 'warn']), DEFAULT_BUDGET.onExceed),
    'What spend over the budget, or a projection surely over it, does to the gate.',
  ),
})

/** Quality gates: absolute limits, comparison with a baseline, approvals, external reports. */
export const gateSchema = z.strictObject({
  baseline: described(
    z._default(z.string().check(z.minLength(1)), DEFAULT_BASELINE_BRANCH),
    'Branch whose latest completed run in the store is the baseline.',
  ),
  thresholds: z.optional(
    described(thresholdsSchema, 'Absolute limits on every suite and the whole run.'),
  ),
  suites: described(
    z._default(z.record(name, thresholdsSchema), {}),
    'Absolute limits per suite, over `thresholds`.',
  ),
  compare: described(z._default(compareSchema, DEFAULT_COMPARE), 'Comparison with the baseline.'),
  approvals: section(
    z.strictObject({
      labels: described(
        z._default(z.record(z.string(), z.string()), {}),
        'Pull-request labels that approve a check, by approval key, e.g. { cost: approved-cost }.',
      ),
    }),
    'How failed checks are approved besides --approve and SHIPGATE_APPROVE.',
  ),
  ...externalSchema,
  budget: z.optional(
    described(
      budgetSchema,
      'Monthly CI budget: the month-to-date spend of the stored runs and this run, projected to the month end (docs/ci.md).',
    ),
  ),
})

/** A price override in USD per million tokens. */
const price = z.strictObject({
  input: described(usd, 'USD per million uncached input tokens.'),
  output: described(usd, 'USD per million output tokens.'),
  cacheRead: z.optional(described(usd, 'USD per million input tokens read from the cache.')),
  cacheWrite: z.optional(described(usd, 'USD per million input tokens written to the cache.')),
  batch: z.optional(
    described(
      z.strictObject({
        input: described(usd, 'USD per million uncached input tokens sent in a batch.'),
        output: described(usd, 'USD per million output tokens of a batch.'),
      }),
      "Prices through the provider's batch API (`eval --batch`); cache prices scale with them. Without it, openai and anthropic batches cost half of every price.",
    ),
  ),
})

/** The whole `shipgate.yaml`. */
export const configSchema = described(
  z.strictObject({
    $schema: z.optional(described(z.string(), 'JSON Schema of this file, for editors.')),
    version: described(z.literal(1), 'Config format version.'),
    description: z.optional(described(z.string(), 'What this project evaluates.')),
    providers: described(z.record(name, providerSchema), 'Models and systems under test, by name.'),
    prompts: described(z._default(z.record(name, promptSchema), {}), 'Prompt templates, by name.'),
    suites: described(z.record(name, suiteSchema), 'Eval suites, by name.'),
    judge: z.optional(
      described(judgeSchema, 'Provider (and prompts) that grade model-graded assertions.'),
    ),
    runner: section(
      runnerSchema,
      'How provider calls are scheduled: concurrency, timeouts, retries.',
    ),
    store: described(
      z._default(
        z
          .string()
          .check(
            z.regex(
              /^(?!env:)|^env:[A-Za-z_][A-Za-z0-9_]*$/,
              'env:NAME names an environment variable: letters, digits and _, not starting with a digit',
            ),
          ),
        DEFAULT_STORE,
      ),
      'SQLite file (relative to this file), postgres:// URL without a password, memory:, or env:NAME for a location (a URL with its password) in the variable NAME; env SHIPGATE_DATABASE_URL overrides (docs/stores.md).',
    ),
    cassettes: z.optional(
      described(cassettesSchema, 'Record and replay LLM traffic; off when absent.'),
    ),
    ci: z.optional(described(ciSchema, 'Overrides applied when CI=true.')),
    gate: section(gateSchema, 'Quality gates of `shipgate gate` and `shipgate ci`.'),
    select: section(
      z.strictObject({
        always: described(
          z._default(z.array(name), []),
          'Suites that `shipgate select` always selects.',
        ),
      }),
      'Smart test selection (`shipgate select`, `eval --since`).',
    ),
    traffic: z.optional(
      described(
        z.strictObject({
          requestsPerDay: described(
            z.number().check(z.positive()),
            'Production requests a day, each like one sample.',
          ),
        }),
        'Production traffic, for the daily cost projection of `shipgate cost`.',
      ),
    ),
    release: section(
      releaseSchema,
      'What `shipgate release create` records besides code, prompts, models.',
    ),
    targets: described(
      z._default(z.record(name, targetSchema), {}),
      'Deploy targets by name (`shipgate deploy NAME`).',
    ),
    deploy: section(
      deploySchema,
      'How `shipgate deploy` waits for health and whether it monitors.',
    ),
    smoke: section(smokeSchema, 'Smoke checks after a deploy (`shipgate smoke`).'),
    monitor: section(monitorSchema, 'Post-deploy monitoring (`shipgate monitor`).'),
    rollout: section(
      rolloutSchema,
      'How `shipgate deploy` moves traffic: all at once or a canary.',
    ),
    notify: described(
      z._default(z.array(notifierSchema), []),
      'Where gate, deploy, smoke, monitor and rollback events are sent.',
    ),
    experiments: described(
      z._default(z.record(name, experimentSchema), {}),
      'Online experiments of prompt and model versions, by name (`shipgate experiment`).',
    ),
    pricing: described(
      z._default(z.record(z.string(), price), {}),
      'Prices by model id in USD per million tokens, overriding the vendored table.',
    ),
  }),
  'shipgate configuration (shipgate.yaml).',
)

export type ConfigInput = z.input<typeof configSchema>
export type Config = z.output<typeof configSchema>
export type SuiteConfig = z.output<typeof suiteSchema>
export type CaseConfig = z.output<typeof caseSchema>
export type AssertionConfig = z.output<typeof assertionSchema>
export type PromptConfig = z.output<typeof promptSchema>
export type RunnerConfig = z.output<typeof runnerSchema>
export type PriceOverride = z.output<typeof price>
export type CassettesConfig = z.output<typeof cassettesSchema>
export type JudgeConfig = z.output<typeof judgeSchema>
export type GateConfig = z.output<typeof gateSchema>
export type ThresholdsConfig = z.output<typeof thresholdsSchema>
export type BudgetConfig = z.output<typeof budgetSchema>
