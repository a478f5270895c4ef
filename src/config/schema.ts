import { z } from 'zod'
import { assertionTypeNames } from '../assertions/index.js'
import { providerSchema } from '../providers/schemas.js'

/** Names of providers, prompts and suites: letters, digits, `.`, `_` and `-`. */
const name = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'use letters, digits, ".", "_" and "-" (starting with a letter or digit)',
  )

const vars = z.record(z.string(), z.unknown())

/** An assertion, written as in promptfoo. */
export const assertionSchema = z
  .strictObject({
    type: z
      .enum(assertionTypeNames as [string, ...string[]])
      .describe('Assertion type; `not-` inverts it.'),
    value: z.unknown().optional().describe('What to check against; its shape depends on the type.'),
    threshold: z
      .number()
      .optional()
      .describe('Limit or minimum score, for the types that take one.'),
    weight: z
      .number()
      .nonnegative()
      .default(1)
      .describe('Share of the case score; 0 is informational.'),
    metric: z.string().optional().describe('Name to report the score under.'),
  })
  .describe('An assertion: { type, value, threshold, weight }.')

/** A test case. */
export const caseSchema = z
  .strictObject({
    id: z
      .string()
      .min(1)
      .optional()
      .describe('Stable id; derived from the suite and vars when absent.'),
    description: z.string().optional(),
    vars: vars.default({}).describe('Template variables of the prompt.'),
    assert: z.array(assertionSchema).default([]),
    tags: z.array(z.string()).default([]).describe('Select with `shipgate eval --tag`.'),
    threshold: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe('Pass on weighted score >= threshold instead of every assertion passing.'),
  })
  .describe('A test case.')

/** A template: inline text, or `{ file }` relative to the config file. */
const template = z.union([z.string(), z.strictObject({ file: z.string().min(1) })])

/** A prompt: a template file (the user message), `{ system, user }`, or a message list. */
export const promptSchema = z.union([
  z.string().min(1).describe('Path of a template file, rendered as the user message.'),
  z.strictObject({ system: template.optional(), user: template }),
  z.strictObject({
    messages: z
      .array(z.strictObject({ role: z.enum(['system', 'user', 'assistant']), content: template }))
      .min(1),
  }),
])

/** A suite: a prompt and a provider run over cases with assertions. */
export const suiteSchema = z
  .strictObject({
    description: z.string().optional(),
    prompt: name.describe('Name of an entry under `prompts`.'),
    provider: name.describe('Name of an entry under `providers`.'),
    cases: z
      .union([z.string().min(1), z.array(caseSchema)])
      .describe('Inline cases, or a .yaml, .jsonl or .csv file of them.'),
    assert: z.array(assertionSchema).default([]).describe('Assertions applied to every case.'),
    vars: vars.default({}).describe('Variables every case starts from.'),
    repeat: z.int().min(1).default(1).describe('Samples per case.'),
    threshold: z.number().min(0).max(1).default(1).describe('Minimum pass rate of the suite.'),
    tags: z.array(z.string()).default([]).describe('Tags given to every case.'),
  })
  .describe('A suite of cases.')

/** How the runner schedules provider calls. */
export const runnerSchema = z.strictObject({
  concurrency: z
    .int()
    .positive()
    .default(8)
    .describe('Provider calls in flight at once, over all providers.'),
  timeoutMs: z.int().positive().default(60_000).describe('Per-call timeout.'),
  retries: z
    .int()
    .nonnegative()
    .default(3)
    .describe('Retries of a retryable failure (429, 5xx, timeout).'),
  backoffMs: z
    .int()
    .nonnegative()
    .default(1_000)
    .describe('First backoff; doubles per retry, with jitter.'),
  maxBackoffMs: z.int().nonnegative().default(30_000),
  maxRetryAfterMs: z
    .int()
    .nonnegative()
    .default(60_000)
    .describe('Longest retry-after that is waited for.'),
  graceMs: z
    .int()
    .nonnegative()
    .default(2_000)
    .describe('On Ctrl-C, how long calls in flight may finish.'),
})

/** A price override in USD per million tokens. */
const price = z.strictObject({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cacheRead: z.number().nonnegative().optional(),
  cacheWrite: z.number().nonnegative().optional(),
})

/** The whole `shipgate.yaml`. */
export const configSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1).describe('Config format version.'),
    description: z.string().optional(),
    providers: z.record(name, providerSchema).describe('Models and systems under test, by name.'),
    prompts: z.record(name, promptSchema).default({}).describe('Prompt templates, by name.'),
    suites: z.record(name, suiteSchema).describe('Eval suites, by name.'),
    runner: runnerSchema.default(runnerSchema.parse({})),
    store: z
      .string()
      .default('.shipgate/shipgate.db')
      .describe('SQLite file (relative to this file); env SHIPGATE_DATABASE_URL overrides.'),
    pricing: z
      .record(z.string(), price)
      .default({})
      .describe('Prices by model id in USD per million tokens, overriding the vendored table.'),
  })
  .describe('shipgate configuration (shipgate.yaml).')

export type ConfigInput = z.input<typeof configSchema>
export type Config = z.output<typeof configSchema>
export type SuiteConfig = z.output<typeof suiteSchema>
export type CaseConfig = z.output<typeof caseSchema>
export type AssertionConfig = z.output<typeof assertionSchema>
export type PromptConfig = z.output<typeof promptSchema>
export type RunnerConfig = z.output<typeof runnerSchema>
export type PriceOverride = z.output<typeof price>
