/**
 * A judge for assertion tests: the `mock` provider (built through the builtin map) scripted with
 * answers, behind the `Judge` interface the way a run's judge is, with every call recorded and
 * priced at one micro-dollar a token so tests can check what a grade reports about its judge.
 */
import type { Judge, JudgeAnswer, JudgeCallRecord } from '../../src/contracts/assertion.js'
import type {
  ChatMessage,
  CompletionFailure,
  Provider,
  StructuredOutput,
} from '../../src/contracts/provider.js'
import type { Usage } from '../../src/contracts/usage.js'
import { silentLogger } from '../../src/logger.js'
import { builtinProviders } from '../../src/providers/index.js'
import { systemClock } from '../../src/utils/clock.js'
import * as z from '../../src/utils/zod.js'

/** One scripted answer (a mock `responses` entry): when the judge prompt matches, the output. */
export interface JudgeScript {
  readonly match?: string
  readonly regex?: string
  /** The answer's text; an object is answered as its JSON. */
  readonly output: string | Readonly<Record<string, unknown>>
}

/** A judge that keeps the bookkeeping of its calls. */
export interface MockJudge extends Judge {
  /** Every call made so far (completions and embeddings), in order. */
  calls(): readonly JudgeCallRecord[]
}

/** What an unscripted prompt gets: an answer that is not JSON. */
export const UNSCRIPTED = 'I would rather not answer in JSON.'

/** USD per token of a judge call. */
const PRICE = 1e-6

/** A judge answering by `scripts`; with `failing`, every call fails as unavailable. */
export function mockJudge(
  scripts: readonly JudgeScript[],
  { failing = false }: { failing?: boolean } = {},
): MockJudge {
  const made = provider({
    type: 'mock',
    model: 'judge-model',
    responses: scripts,
    default: UNSCRIPTED,
    failures: failing ? [{ every: 1, kind: 'unavailable' }] : [],
  })
  const records: JudgeCallRecord[] = []
  const signal = new AbortController().signal
  const answer = <T>(result: Answered<T> | CompletionFailure): JudgeAnswer<T> => {
    const record = recordOf(result)
    records.push(record)
    return result.ok
      ? { ok: true, value: result.value, calls: [record] }
      : { ok: false, message: result.error.message, calls: [record] }
  }
  return {
    id: 'mock:judge-model',
    calls: () => [...records],
    async complete(messages: readonly ChatMessage[], structured?: StructuredOutput) {
      const request = { messages, vars: {}, ...(structured === undefined ? {} : { structured }) }
      const result = await (await made).complete(request, { signal })
      return answer(result.ok ? { ...result, value: result.output } : result)
    },
    async embed(texts: readonly string[]) {
      const result = await (await made).embed?.(texts, { signal })
      if (result === undefined) throw new Error('the mock provider has no embed')
      return answer(result.ok ? { ...result, value: result.vectors } : result)
    },
  }
}

/** A successful call with its value. */
interface Answered<T> {
  readonly ok: true
  readonly value: T
  readonly usage: Usage | null
  readonly latencyMs: number
  readonly cached: boolean
}

function recordOf(result: Answered<unknown> | CompletionFailure): JudgeCallRecord {
  if (!result.ok) {
    return { usage: null, costUsd: 0, latencyMs: result.latencyMs ?? 0, cached: false }
  }
  const { usage, latencyMs, cached } = result
  const costUsd = usage === null ? null : (usage.input + usage.output) * PRICE
  return { usage, costUsd, latencyMs, cached }
}

async function provider(config: Record<string, unknown>): Promise<Provider> {
  const factory = await builtinProviders.mock()
  return factory.create(z.parse(factory.options, config), {
    name: 'judge',
    baseDir: '.',
    env: {},
    clock: systemClock,
    logger: silentLogger,
    fetch: () => Promise.reject(new Error('the mock judge makes no HTTP calls')),
    offline: true,
  })
}
