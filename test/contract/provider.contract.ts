/**
 * The contract every provider passes (src/contracts/provider.ts, docs/providers.md): an id of
 * the form `type:name`; an answer with its text, normalized usage, latency and `cached`; a
 * structured request answered with the JSON text; every failure a value and never a throw,
 * classified as promised (401 auth and 400 never retried; 429 rate_limited with its
 * retry-after; 5xx, overload and a dropped connection retryable); an abort ending the call
 * promptly; a malformed 200 never a success; embeddings exactly when the factory says so;
 * `close()` safe twice. Each implementation is built through the builtin map from its config.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  CompletionResult,
  Provider,
  ProviderContext,
  ProviderError,
  ProviderFactory,
} from '../../src/contracts/provider.js'
import { builtinProviders } from '../../src/providers/index.js'
import * as z from '../../src/utils/zod.js'

/** A builtin provider type. */
export type ProviderType = keyof typeof builtinProviders

/** What the provider is made to face; the harness's server or script acts it out. */
export type ProviderScenario =
  | 'answer'
  | 'structured'
  | 'auth'
  | 'rate-limited'
  | 'unavailable'
  | 'rejected'
  | 'hang'
  | 'malformed'
  | 'cut'

/** What a skip names: a scenario (every clause that needs it) or one clause of its own. */
export type ProviderClause = ProviderScenario | 'first-token'

/** The text every harness answers in the `answer` scenario. */
export const CONTRACT_ANSWER = 'The contract answer.'
/**
 * The token counts every harness reports with an answer, in shipgate's convention: `input`
 * includes the 4 tokens read from the prompt cache (each wire spells that its own way).
 */
export const CONTRACT_USAGE = { input: 11, output: 7, cacheRead: 4 } as const
/** The structured answer every harness gives in the `structured` scenario. */
export const CONTRACT_JSON = { verdict: 'pass' } as const
/** The `retry-after` of the `rate-limited` scenario, in seconds. */
export const RETRY_AFTER_SECONDS = 2

/** The scenario a request names (its user message is `contract:<scenario>`). */
export function scenarioIn(text: string): ProviderScenario | undefined {
  return /contract:([a-z-]+)/.exec(text)?.[1] as ProviderScenario | undefined
}

/** One implementation under the contract, as the runner registers it. */
export interface ProviderHarness {
  readonly type: ProviderType
  /** The environment variable of its API key, which an auth failure's hint must name. */
  readonly keyEnv?: string
  /** Starts what the provider talks to (a loopback fake, a script). */
  start(): Promise<ProviderBench>
  /**
   * Clauses this implementation cannot meet, each with the reason: those needing a scenario it
   * cannot act out, or `first-token` (a stream's time to first token within its latency).
   */
  readonly cannot?: Partial<Record<ProviderClause, string>>
}

/** A started harness. */
export interface ProviderBench {
  /** The provider's config entry for `scenario`, as written in shipgate.yaml. */
  config(scenario: ProviderScenario): Record<string, unknown>
  readonly context: ProviderContext
  stop(): Promise<void>
}

/** How long an aborted call may take to end. */
const PROMPT_MS = 1_500

/** Runs the contract against the provider `harness` builds. */
export function providerContract(name: string, harness: ProviderHarness): void {
  describe(`${name} (provider contract)`, () => {
    let bench: ProviderBench
    beforeAll(async () => {
      bench = await harness.start()
    })
    afterAll(async () => {
      await bench?.stop()
    })

    /** The builtin's factory, through the map; its options type is the config's business. */
    const factory = async (): Promise<ProviderFactory<unknown>> =>
      await builtinProviders[harness.type]()
    const make = async (scenario: ProviderScenario): Promise<Provider> => {
      const { options, create } = await factory()
      return create(z.parse(options, bench.config(scenario)), bench.context)
    }
    const call = async (scenario: ProviderScenario, signal = live()) =>
      (await make(scenario)).complete(request(scenario), { signal })

    /** A clause: skipped, with the reason, when the harness cannot meet it. */
    const clause = (key: ProviderClause, title: string, body: () => Promise<void>) => {
      const why = harness.cannot?.[key]
      if (why === undefined) it(title, body)
      else it.skip(`${title} [cannot: ${why}]`, body)
    }

    clause('answer', 'is named `type:name`, and reports its type and model', async () => {
      const provider = await make('answer')
      expect(provider.type).toBe(harness.type)
      expect(provider.id).toMatch(new RegExp(`^${harness.type}:\\S+$`))
      if (provider.model !== undefined) expect(provider.model).toMatch(/\S/)
    })

    clause('answer', 'takes concurrency and timeoutMs, and rejects unknown options', async () => {
      const { options } = await factory()
      const config = bench.config('answer')
      const common = z.safeParse(options, { ...config, concurrency: 2, timeoutMs: 1_000 })
      expect(common.success).toBe(true)
      const unknown = z.safeParse(options, { ...config, temprature: 0 })
      expect(unknown.success).toBe(false)
      expect(JSON.stringify(unknown.error?.issues)).toContain('temprature')
    })

    clause('answer', 'answers with the text, normalized usage, latency and cached', async () => {
      const result = await call('answer')
      if (!result.ok) expect.fail(`expected an answer, got ${JSON.stringify(result.error)}`)
      expect(result.output).toBe(CONTRACT_ANSWER)
      expect(result.usage).toEqual({ ...CONTRACT_USAGE, cacheWrite: 0, reasoning: 0 })
      expectDuration(result.latencyMs)
      expect(result.cached).toBe(false)
      if (result.ttftMs !== undefined) expectDuration(result.ttftMs)
      if (result.model !== undefined) expect(result.model).toMatch(/\S/)
    })

    clause('first-token', 'times the first token of a stream within the call', async () => {
      const result = await call('answer')
      if (!result.ok) expect.fail(`expected an answer, got ${JSON.stringify(result.error)}`)
      if (result.ttftMs !== undefined) expect(result.ttftMs).toBeLessThanOrEqual(result.latencyMs)
    })

    clause('structured', 'answers a structured request with the JSON text', async () => {
      const result = await (
        await make('structured')
      ).complete({ ...request('structured'), structured: VERDICT }, { signal: live() })
      if (!result.ok) expect.fail(`expected an answer, got ${JSON.stringify(result.error)}`)
      expect(JSON.parse(result.output)).toEqual(CONTRACT_JSON)
    })

    clause('auth', 'fails an authentication error as auth, never retried', async () => {
      const error = failure(await call('auth'))
      expect(error).toMatchObject({ kind: 'auth', retryable: false })
      if (harness.keyEnv !== undefined) expect(error.hint).toContain(harness.keyEnv)
      expectStatus(error, (status) => status === 401 || status === 403)
    })

    clause('rate-limited', 'fails a 429 as rate_limited, retryable after retry-after', async () => {
      const error = failure(await call('rate-limited'))
      expect(error).toMatchObject({
        kind: 'rate_limited',
        retryable: true,
        retryAfterMs: RETRY_AFTER_SECONDS * 1000,
      })
      expectStatus(error, (status) => status === 429)
    })

    clause('unavailable', 'fails a 5xx or an overload as unavailable, retryable', async () => {
      const error = failure(await call('unavailable'))
      expect(error).toMatchObject({ kind: 'unavailable', retryable: true })
      expectStatus(error, (status) => status >= 500)
    })

    clause('rejected', 'fails a rejected request (400) as bad_request, never retried', async () => {
      const error = failure(await call('rejected'))
      expect(error).toMatchObject({ kind: 'bad_request', retryable: false })
      expectStatus(error, (status) => status === 400)
    })

    clause('hang', 'ends promptly, as a failure, when its signal aborts mid-call', async () => {
      const controller = new AbortController()
      setTimeout(() => controller.abort(), 50)
      const started = Date.now()
      failure(await promptly(call('hang', controller.signal)))
      expect(Date.now() - started).toBeLessThan(PROMPT_MS)
    })

    clause('hang', 'fails at once when its signal was aborted before the call', async () => {
      const controller = new AbortController()
      controller.abort()
      failure(await promptly(call('hang', controller.signal)))
    })

    clause('malformed', 'fails a 200 that is not an answer, never passing it on', async () => {
      const error = failure(await call('malformed'))
      expect(error.status, 'the answer came with a 200').toBeUndefined()
    })

    clause('cut', 'fails a connection cut mid-answer as retryable', async () => {
      const error = failure(await call('cut'))
      expect(error).toMatchObject({ kind: 'unavailable', retryable: true })
      expect(error.status, 'the answer came with a 200').toBeUndefined()
    })

    clause('answer', 'embeds exactly when its factory says it does', async () => {
      const provider = await make('answer')
      expect(typeof provider.embed === 'function').toBe((await factory()).embeddings)
      if (provider.embed === undefined) return
      const result = await provider.embed(['red apple', 'green pear'], { signal: live() })
      if (!result.ok) expect.fail(`expected vectors, got ${JSON.stringify(result.error)}`)
      expect(result.vectors).toHaveLength(2)
      expect(result.vectors[0]?.length).toBeGreaterThan(0)
      expect(result.vectors[1]?.length).toBe(result.vectors[0]?.length)
      expect(result.vectors.flat().every(Number.isFinite)).toBe(true)
    })

    clause('answer', 'can be closed twice after a call', async () => {
      const provider = await make('answer')
      expect((await provider.complete(request('answer'), { signal: live() })).ok).toBe(true)
      await provider.close?.()
      await provider.close?.()
    })
  })
}

/** The request of `scenario`: a system message and the user message naming it. */
function request(scenario: ProviderScenario) {
  return {
    messages: [
      { role: 'system' as const, content: 'You are under contract.' },
      { role: 'user' as const, content: `contract:${scenario}` },
    ],
    vars: { scenario },
  }
}

const VERDICT = {
  name: 'verdict',
  description: 'The verdict of the contract.',
  schema: {
    type: 'object',
    properties: { verdict: { type: 'string' } },
    required: ['verdict'],
    additionalProperties: false,
  },
}

const live = (): AbortSignal => new AbortController().signal

function expectDuration(ms: number): void {
  expect(Number.isFinite(ms)).toBe(true)
  expect(ms).toBeGreaterThanOrEqual(0)
}

/** A failure that has an HTTP status has the scenario's. */
function expectStatus(error: ProviderError, fits: (status: number) => boolean): void {
  if (error.status !== undefined) expect(fits(error.status), `status ${error.status}`).toBe(true)
}

/** The error of a failed call, checked for the shape every failure has. */
function failure(result: CompletionResult | 'still running'): ProviderError {
  if (result === 'still running') return expect.fail(`still running after ${PROMPT_MS} ms`)
  if (result.ok) return expect.fail(`expected a failure, got the answer ${JSON.stringify(result)}`)
  const { error, latencyMs } = result
  expect(error.message).toMatch(/\S/)
  expect(typeof error.retryable).toBe('boolean')
  if (error.retryAfterMs !== undefined) expectDuration(error.retryAfterMs)
  if (latencyMs !== undefined) expectDuration(latencyMs)
  return error
}

/** The call's result, or 'still running' when it takes longer than {@link PROMPT_MS}. */
function promptly(pending: Promise<CompletionResult>): Promise<CompletionResult | 'still running'> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<'still running'>((resolve) => {
    timer = setTimeout(() => resolve('still running'), PROMPT_MS)
  })
  return Promise.race([pending, late]).finally(() => clearTimeout(timer))
}
