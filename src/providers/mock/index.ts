import type { Random } from '../../contracts/clock.js'
import type {
  CompletionFailure,
  CompletionRequest,
  CompletionResult,
  EmbeddingResult,
  Provider,
  ProviderContext,
  ProviderError,
  ProviderFactory,
} from '../../contracts/provider.js'
import type { Usage } from '../../contracts/usage.js'
import { seededRandom } from '../../utils/random.js'
import { hashedEmbedding } from './embed.js'
import { mockOptions, type MockOptions } from './schema.js'

type Reply = MockOptions['default']
type Latency = MockOptions['latencyMs']

/**
 * The `mock` provider: scripted replies, latency, usage and failure injection, no network.
 * Structured requests get the scripted text like any other; embeddings are hashed bags of words.
 */
export const mockProvider: ProviderFactory<MockOptions> = {
  type: 'mock',
  options: mockOptions,
  embeddings: true,
  create: (options, context) => new MockProvider(options, context),
}

interface Script {
  readonly test: (prompt: string) => boolean
  /** The reply: fixed, or drawn by weight. */
  readonly output: (random: Random) => string
  readonly latency: Latency | undefined
  readonly usage: MockOptions['usage'] | undefined
}

const RETRYABLE = new Set<ProviderError['kind']>(['rate_limited', 'timeout', 'unavailable'])

class MockProvider implements Provider {
  readonly type = 'mock'
  readonly id: string
  readonly model: string | undefined
  private readonly scripts: readonly Script[]
  private readonly random: Random
  private calls = 0

  constructor(
    private readonly options: MockOptions,
    private readonly context: ProviderContext,
  ) {
    this.model = options.model
    this.id = `mock:${options.model ?? context.name}`
    this.random = seededRandom(options.seed)
    this.scripts = options.responses.map((r) => ({
      test: r.regex === undefined ? matchText(r.match ?? '') : matchRegex(r.regex),
      output: replyOf(r),
      latency: r.latencyMs,
      usage: r.usage,
    }))
  }

  async complete(
    request: CompletionRequest,
    { signal }: { signal: AbortSignal },
  ): Promise<CompletionResult> {
    const prompt = request.messages.map((m) => m.content).join('\n\n')
    const script = this.scripts.find((s) => s.test(prompt))
    const call = await this.call(script?.latency ?? this.options.latencyMs, signal)
    if (!call.ok) return call
    const output = script?.output(this.random) ?? this.defaultReply(request)
    const usage = usageOf(script?.usage ?? this.options.usage, prompt, output)
    return { ok: true, output, usage, latencyMs: call.latencyMs, cached: false, model: this.model }
  }

  async embed(
    texts: readonly string[],
    { signal }: { signal: AbortSignal },
  ): Promise<EmbeddingResult> {
    const call = await this.call(this.options.latencyMs, signal)
    if (!call.ok) return call
    const chars = texts.reduce((sum, text) => sum + text.length, 0)
    return {
      ok: true,
      vectors: texts.map(hashedEmbedding),
      usage: { input: Math.ceil(chars / 4), output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
      latencyMs: call.latencyMs,
      cached: false,
      model: this.model ?? this.context.name,
    }
  }

  /**
   * What every call goes through, completions and embeddings alike: it is counted, waits its
   * latency, and fails when a failure rule picks it or the signal aborts.
   */
  private async call(
    latency: Latency,
    signal: AbortSignal,
  ): Promise<CompletionFailure | { ok: true; latencyMs: number }> {
    this.calls += 1
    const call = this.calls
    const { clock } = this.context
    const started = clock.now()
    const wait = pickLatency(latency, this.random)
    const failure = this.failureFor(call)
    if (wait > 0) await clock.sleep(wait, signal)
    if (signal.aborted) {
      return { ok: false, error: { kind: 'unknown', message: 'call aborted', retryable: false } }
    }
    const latencyMs = clock.now() - started
    if (failure !== undefined) return { ok: false, error: failure, latencyMs }
    return { ok: true, latencyMs }
  }

  private defaultReply(request: CompletionRequest): string {
    if (this.options.default !== undefined) return textOf(this.options.default)
    const users = request.messages.filter((m) => m.role === 'user')
    return users.at(-1)?.content ?? ''
  }

  private failureFor(call: number): ProviderError | undefined {
    for (const rule of this.options.failures) {
      const hit =
        rule.every !== undefined ? call % rule.every === 0 : this.random() < (rule.rate ?? 0)
      if (!hit) continue
      return {
        kind: rule.kind,
        message: rule.message ?? `injected ${rule.kind} failure on call ${call}`,
        retryable: RETRYABLE.has(rule.kind),
        ...(rule.retryAfterMs === undefined ? {} : { retryAfterMs: rule.retryAfterMs }),
        ...(rule.status === undefined ? {} : { status: rule.status }),
      }
    }
    return undefined
  }
}

function matchText(needle: string): (prompt: string) => boolean {
  return (prompt) => prompt.includes(needle)
}

function matchRegex(source: string): (prompt: string) => boolean {
  const regex = new RegExp(source)
  return (prompt) => regex.test(prompt)
}

function textOf(reply: NonNullable<Reply>): string {
  return typeof reply === 'string' ? reply : JSON.stringify(reply)
}

type ScriptedReply = MockOptions['responses'][number]

/** A scripted reply as a function of the random source: one text, or a weighted draw. */
function replyOf(r: ScriptedReply): (random: Random) => string {
  if (r.outputs === undefined) {
    const text = textOf(r.output ?? '')
    return () => text
  }
  const texts = r.outputs.map((o) => textOf(o.output))
  const total = r.outputs.reduce((sum, o) => sum + o.weight, 0)
  const bounds: number[] = []
  let acc = 0
  for (const o of r.outputs) bounds.push((acc += o.weight / total))
  return (random) => {
    const u = random()
    const i = bounds.findIndex((b) => u < b)
    return texts[i === -1 ? texts.length - 1 : i] as string
  }
}

function pickLatency(latency: Latency, random: Random): number {
  if (typeof latency === 'number') return latency
  return latency.min + random() * (latency.max - latency.min)
}

/** Scripted counts, or an estimate of 4 characters a token. */
function usageOf(spec: MockOptions['usage'], prompt: string, output: string): Usage {
  if (spec === 'estimate') {
    return {
      input: Math.ceil(prompt.length / 4),
      output: Math.ceil(output.length / 4),
      cacheRead: 0,
      cacheWrite: 0,
      reasoning: 0,
    }
  }
  return {
    input: spec.input,
    output: spec.output,
    cacheRead: spec.cacheRead ?? 0,
    cacheWrite: spec.cacheWrite ?? 0,
    reasoning: spec.reasoning ?? 0,
  }
}
