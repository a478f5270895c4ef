import type {
  AssertionContext,
  Judge,
  JudgeAnswer,
  JudgeCallRecord,
  JudgePromptTemplate,
} from '../../contracts/assertion.js'
import type { Clock, Random } from '../../contracts/clock.js'
import type {
  ChatMessage,
  CompletionFailure,
  EmbeddingResult,
  Provider,
  StructuredOutput,
  ToolSpec,
} from '../../contracts/provider.js'
import type { Usage } from '../../contracts/usage.js'
import type { LoadedConfig } from '../../config/load.js'
import type { JudgeConfig, SuiteConfig } from '../../config/schema.js'
import { closest } from '../../config/suggest.js'
import { callWithRetries, type RetryOptions, type StopFan } from '../../core/eval/retry.js'
import { ShipgateError } from '../../errors.js'
import { builtinProviders } from '../../providers/index.js'

/** What judge calls run with, known once the run starts. */
export interface JudgeRuntime {
  readonly providers: ReadonlyMap<string, Provider>
  /** Cost in USD of a call's usage; `null` when unknown. */
  readonly cost: (
    provider: Provider,
    model: string | undefined,
    usage: Usage | null,
    /** Answered through the provider's batch API: priced at its batch rates. */
    batched?: boolean,
  ) => number | null
  readonly timeoutMs: (name: string) => number
  readonly concurrency: (name: string) => number
  readonly retry: RetryOptions['retry']
  readonly clock: Clock
  readonly random: Random
  readonly stop: StopFan
  readonly graceMs: number
}

/**
 * The judges of a run. Assertions resolve their judge while the plan is built (so a missing or
 * unfit provider is a config error before anything runs); the providers are bound when the run
 * starts.
 */
export class JudgeHub {
  private readonly used = new Set<string>()
  private readonly judges = new Map<string, JudgeClient>()
  private runtime: JudgeRuntime | undefined

  constructor(private readonly loaded: LoadedConfig) {}

  /**
   * The assertion context of `suite`'s assertions declared in `baseDir` (`{}`: the config's
   * judge), with the tools the suite declares.
   */
  context(
    baseDir: string,
    suite: Pick<SuiteConfig, 'judge'>,
    tools: readonly ToolSpec[] = [],
  ): AssertionContext {
    const config = normalize(suite.judge) ?? normalize(this.loaded.config.judge)
    return {
      baseDir,
      judge: (need, provider) => this.judge(need, provider, config),
      judgePrompt: (type, name) => {
        const chosen = name ?? config?.prompts[type]
        if (chosen === undefined) return undefined
        return this.prompt(chosen)
      },
      tools,
    }
  }

  /** Names of the providers that judge. */
  names(): string[] {
    return [...this.used]
  }

  /** Binds the providers; judge calls made before this throw. */
  bind(runtime: JudgeRuntime): void {
    this.runtime = runtime
  }

  private async judge(
    need: 'chat' | 'embeddings',
    provider: string | undefined,
    config: NormalJudge | undefined,
  ): Promise<Judge> {
    const name =
      provider ?? (need === 'embeddings' ? config?.embeddings : undefined) ?? config?.provider
    if (name === undefined) {
      throw new ShipgateError('config', 'a model-graded assertion needs a judge', {
        hint: 'set `judge: PROVIDER` at the top of the config or in the suite, or `provider:` on the assertion',
      })
    }
    const configured = this.loaded.config.providers[name]
    if (configured === undefined) {
      const known = Object.keys(this.loaded.config.providers)
      const guess = closest(name, known)
      throw new ShipgateError('config', `judge provider "${name}" is not defined under providers`, {
        hint:
          guess === undefined
            ? `defined providers: ${known.join(', ')}`
            : `did you mean "${guess}"?`,
      })
    }
    if (need === 'embeddings') {
      const factory = await builtinProviders[configured.type]()
      if (!factory.embeddings) {
        throw new ShipgateError(
          'config',
          `provider "${name}" (${configured.type}) has no embeddings endpoint`,
          {
            hint: 'name an openai (or OpenAI-compatible) provider for embeddings: `judge: { provider: ..., embeddings: NAME }` or `provider:` on the assertion',
          },
        )
      }
    }
    this.used.add(name)
    let client = this.judges.get(name)
    if (client === undefined) {
      client = new JudgeClient(name, `${configured.type}:${configured.model ?? name}`, () =>
        this.bound(),
      )
      this.judges.set(name, client)
    }
    return client
  }

  private prompt(name: string): JudgePromptTemplate {
    const prompt = this.loaded.prompts.get(name)
    if (prompt === undefined) {
      const known = [...this.loaded.prompts.keys()]
      const guess = closest(name, known)
      throw new ShipgateError('config', `judge prompt "${name}" is not defined under prompts`, {
        hint:
          guess === undefined ? `defined prompts: ${known.join(', ')}` : `did you mean "${guess}"?`,
      })
    }
    return prompt
  }

  private bound(): JudgeRuntime {
    if (this.runtime === undefined) throw new Error('judge called before the run started')
    return this.runtime
  }
}

interface NormalJudge {
  readonly provider: string
  readonly embeddings?: string
  readonly prompts: Readonly<Record<string, string>>
}

function normalize(judge: JudgeConfig | undefined): NormalJudge | undefined {
  if (judge === undefined) return undefined
  return typeof judge === 'string' ? { provider: judge, prompts: {} } : judge
}

/** One judge provider: calls limited in concurrency and retried under the runner's policy. */
class JudgeClient implements Judge {
  private active = 0
  private readonly waiting: (() => void)[] = []

  constructor(
    private readonly name: string,
    readonly id: string,
    private readonly runtime: () => JudgeRuntime,
  ) {}

  complete(
    messages: readonly ChatMessage[],
    structured?: StructuredOutput,
  ): Promise<JudgeAnswer<string>> {
    return this.call(
      (provider, signal) =>
        provider.complete(
          { messages, vars: {}, ...(structured === undefined ? {} : { structured }) },
          { signal },
        ),
      (result) => result.output,
    )
  }

  embed(texts: readonly string[]): Promise<JudgeAnswer<readonly (readonly number[])[]>> {
    return this.call(
      (provider, signal) => {
        if (provider.embed === undefined) {
          const failure: EmbeddingResult = {
            ok: false,
            error: { kind: 'bad_request', message: 'no embeddings endpoint', retryable: false },
          }
          return Promise.resolve(failure)
        }
        return provider.embed(texts, { signal })
      },
      (result) => result.vectors,
    )
  }

  private async call<R extends Answered, T>(
    send: (provider: Provider, signal: AbortSignal) => Promise<R | CompletionFailure>,
    value: (result: R) => T,
  ): Promise<JudgeAnswer<T>> {
    const runtime = this.runtime()
    const provider = runtime.providers.get(this.name)
    if (provider === undefined) throw new Error(`judge provider ${this.name} was not created`)
    await this.acquire(runtime.concurrency(this.name))
    let attempts: readonly (R | CompletionFailure)[]
    try {
      attempts = await callWithRetries((signal) => send(provider, signal), {
        timeoutMs: runtime.timeoutMs(this.name),
        retry: runtime.retry,
        clock: runtime.clock,
        random: runtime.random,
        stop: runtime.stop,
        graceMs: runtime.graceMs,
      })
    } finally {
      this.release()
    }
    const calls: JudgeCallRecord[] = attempts.map((a) => ({
      usage: a.ok ? a.usage : null,
      costUsd: a.ok
        ? runtime.cost(provider, a.model, a.usage, 'batched' in a && a.batched === true)
        : 0,
      latencyMs: a.latencyMs ?? 0,
      cached: a.ok && a.cached,
    }))
    const last = attempts.at(-1) as R | CompletionFailure
    if (last.ok) return { ok: true, value: value(last), calls }
    return { ok: false, message: `${this.id}: ${last.error.message}`, calls }
  }

  private acquire(limit: number): Promise<void> {
    if (this.active < limit) {
      this.active += 1
      return Promise.resolve()
    }
    return new Promise((resolve) => this.waiting.push(resolve))
  }

  private release(): void {
    const next = this.waiting.shift()
    if (next === undefined) this.active -= 1
    else next()
  }
}

/** What a successful judge call reports. */
interface Answered {
  readonly ok: true
  readonly usage: Usage | null
  readonly latencyMs: number
  readonly cached: boolean
  readonly model?: string
}
