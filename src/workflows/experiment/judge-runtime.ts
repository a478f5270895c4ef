/**
 * The `llm-rubric` check outside an eval run: the config's `judge:` provider, created and bound
 * the way an eval binds its judges (the runner's timeouts and retries, the price table), and the
 * assertion's own prompt and answer parsing, so a sample is graded exactly as a case would be.
 */
import { costOf, createPriceLookup } from '@shipgate/runtime/pricing'
import { llmRubric } from '../../assertions/llm-rubric.js'
import type { Check } from '../../contracts/assertion.js'
import type { Clock } from '../../contracts/clock.js'
import type { Logger } from '../../contracts/logger.js'
import type { Provider } from '../../contracts/provider.js'
import type { Usage } from '../../contracts/usage.js'
import type { LoadedConfig } from '../../config/load.js'
import { stopFan } from '../../core/eval/retry.js'
import { closeProviders, createProviders, JudgeHub, perProvider } from '../eval/index.js'

/** A rubric check ready to grade, and what to release after. */
export interface RubricJudge {
  /** `type:model` of the judge. */
  readonly id: string
  readonly check: Check
  close(): Promise<void>
}

/** What the judge runs with. */
export interface RubricJudgeContext {
  readonly env: Readonly<Record<string, string | undefined>>
  readonly logger: Logger
  readonly clock: Clock
  readonly fetch: typeof fetch
  /** Calls in flight at most (also capped by the provider's own `concurrency`). */
  readonly concurrency: number
  readonly signal: AbortSignal
}

/**
 * Prepares `llm-rubric` with `rubric` against the config's judge. Throws the assertion's config
 * error when the config has no `judge:` or names an unknown provider.
 */
export async function openRubricJudge(
  loaded: LoadedConfig,
  rubric: string,
  context: RubricJudgeContext,
): Promise<RubricJudge> {
  const hub = new JudgeHub(loaded)
  const assertion = hub.context(loaded.dir, {})
  const check = await llmRubric.prepare(rubric, { type: 'llm-rubric', value: rubric }, assertion)
  const names = hub.names()
  const providers = await createProviders(loaded, names, { ...context, offline: false })
  const judge = await assertion.judge('chat')
  const runner = loaded.config.runner
  const prices = createPriceLookup(loaded.config.pricing)
  const limits = perProvider(loaded, names, 'concurrency')
  const timeouts = perProvider(loaded, names, 'timeoutMs')
  hub.bind({
    providers,
    cost: (provider: Provider, model: string | undefined, usage: Usage | null) =>
      costOf(prices(provider.type, model ?? provider.model), usage),
    timeoutMs: (name) => timeouts.get(name) ?? runner.timeoutMs,
    concurrency: (name) => Math.min(limits.get(name) ?? context.concurrency, context.concurrency),
    retry: {
      retries: runner.retries,
      baseDelayMs: runner.backoffMs,
      maxDelayMs: runner.maxBackoffMs,
      maxRetryAfterMs: runner.maxRetryAfterMs,
    },
    clock: context.clock,
    random: Math.random,
    stop: stopFan(context.signal),
    graceMs: runner.graceMs,
  })
  return { id: judge.id, check, close: () => closeProviders(providers, context.logger) }
}
