// The seed's production agent, built on @shipgate/runtime: POST /agent/query answers through a
// configured model (the mock by default; Anthropic or OpenAI when a key is set), with telemetry,
// a per-user rate limit, the prompt version chosen by a feature flag (or PROMPT_VERSION), and
// /health, /metrics and /rate-limit/{user}. Faults are injected by environment so deploy and
// canary tests can build a bad version. With EXPERIMENT_NAME set it runs an online experiment on
// the prompt_version flag: exposures, outcomes (cost, latency, POST /agent/feedback) and sampled
// responses go to the collector (EXPERIMENT_COLLECTOR_URL) or a JSONL file (EXPERIMENT_EVENTS_FILE).
// `npm run example:agent -- --port N` starts it.
import { createServer } from 'node:http'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { OpenFeature } from '@openfeature/server-sdk'
import {
  FileFlagProvider,
  activeRelease,
  createRateLimiter,
  createRuntimeHandler,
  createTelemetry,
  rateLimitConfigFromEnv,
  toNodeListener,
  withRateLimit,
} from '@shipgate/runtime'
import { collectorSink, createExperiment, jsonlSink } from '@shipgate/runtime/experiments'
import { costOf, createPriceLookup } from '@shipgate/runtime/pricing'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))

/** Settings from the environment (and `--port N`). */
export function settings(env = process.env, argv = process.argv.slice(2)) {
  const flag = argv.indexOf('--port')
  return {
    port: Number(flag >= 0 ? argv[flag + 1] : (env.PORT ?? 8080)),
    host: env.HOST ?? '127.0.0.1',
    service: env.SERVICE_NAME ?? 'agent-service',
    version: env.SERVICE_VERSION ?? '1.0.0',
    release: env.RELEASE_ID ?? 'dev',
    variant: env.VARIANT ?? 'stable',
    provider:
      env.LLM_PROVIDER ??
      (env.ANTHROPIC_API_KEY ? 'anthropic' : env.OPENAI_API_KEY ? 'openai' : 'mock'),
    model: env.MODEL_VERSION ?? env.LLM_MODEL,
    flags: env.FLAGS_FILE ?? here('./flags.json'),
    faults: {
      errorRate: Number(env.FAULT_ERROR_RATE ?? 0),
      latencyMs: Number(env.FAULT_LATENCY_MS ?? 0),
      costMultiplier: Number(env.FAULT_COST_MULTIPLIER ?? 1),
    },
    seed: Number(env.FAULT_SEED ?? 1),
    rateLimit: rateLimitConfigFromEnv({ RATE_LIMIT_RATE: '5', RATE_LIMIT_BURST: '10', ...env }),
    experiment: env.EXPERIMENT_NAME && {
      name: env.EXPERIMENT_NAME,
      collector: env.EXPERIMENT_COLLECTOR_URL,
      events: env.EXPERIMENT_EVENTS_FILE ?? `events/agent-${process.pid}.jsonl`,
      sampleRate: Number(env.EXPERIMENT_SAMPLE_RATE ?? 0),
    },
  }
}

/** The experiment on the prompt_version flag and its sink, when one is configured. */
function startExperiment(config, flags) {
  if (!config.experiment) return {}
  const { name, collector, events, sampleRate } = config.experiment
  const sink = collector
    ? collectorSink({ url: collector, tokenEnv: 'SHIPGATE_COLLECTOR_TOKEN' })
    : jsonlSink(events)
  const experiment = createExperiment({
    name,
    flag: 'prompt_version',
    flags,
    fallback: 'v1',
    sink,
    sampleRate,
  })
  return { experiment, sink }
}

/** A seeded uniform random source (mulberry32), so injected faults are reproducible. */
function seeded(seed) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const DEFAULT_MODELS = {
  mock: 'claude-3-5-haiku-20241022',
  anthropic: 'claude-3-5-haiku-20241022',
  openai: 'gpt-4o-mini',
}

/** The model behind the agent: `(system, query) => { text, usage }`, instrumented. */
async function createModel(config, telemetry) {
  const model = config.model ?? DEFAULT_MODELS[config.provider]
  if (config.provider === 'anthropic') {
    const { default: Anthropic } = await import('@anthropic-ai/sdk')
    const client = telemetry.instrumentAnthropic(new Anthropic())
    return {
      model,
      async answer(system, query) {
        const message = await client.messages.create({
          model,
          max_tokens: 512,
          system,
          messages: [{ role: 'user', content: query }],
        })
        const text = message.content.map((b) => (b.type === 'text' ? b.text : '')).join('')
        return {
          text,
          usage: { input: message.usage.input_tokens, output: message.usage.output_tokens },
        }
      },
    }
  }
  if (config.provider === 'openai') {
    const { default: OpenAI } = await import('openai')
    const client = telemetry.instrumentOpenAI(new OpenAI())
    return {
      model,
      async answer(system, query) {
        const completion = await client.chat.completions.create({
          model,
          messages: [
            { role: 'system', content: system },
            { role: 'user', content: query },
          ],
        })
        return {
          text: completion.choices[0]?.message.content ?? '',
          usage: {
            input: completion.usage?.prompt_tokens ?? 0,
            output: completion.usage?.completion_tokens ?? 0,
          },
        }
      },
    }
  }
  // The mock: a scripted answer, usage estimated at 4 characters a token, priced as `model`.
  return {
    model,
    answer: (system, query) =>
      telemetry.observe({ provider: 'anthropic', model, operation: 'chat' }, async () => {
        const text = `(${system.includes('senior') ? 'v2' : 'v1'}) Here is what I found about "${query.slice(0, 200)}".`
        const usage = {
          input: Math.ceil((system.length + query.length) / 4) * config.faults.costMultiplier,
          output: Math.ceil(text.length / 4) * config.faults.costMultiplier,
          cacheRead: 0,
          cacheWrite: 0,
          reasoning: 0,
        }
        return { text, usage }
      }),
  }
}

/** Starts the service; resolves with `{ url, close() }` once it listens. */
export async function startAgentService(config = settings()) {
  const telemetry = createTelemetry({
    service: config.service,
    version: config.version,
    release: config.release,
    variant: config.variant,
  })
  const limiter = createRateLimiter(config.rateLimit)
  const flags = new FileFlagProvider({ path: config.flags })
  await OpenFeature.setProviderAndWait(flags)
  const client = OpenFeature.getClient()
  const { experiment, sink } = startExperiment(config, flags)
  const prompts = {
    v1: readFileSync(here('./prompts/v1.txt'), 'utf8'),
    v2: readFileSync(here('./prompts/v2.txt'), 'utf8'),
  }
  const model = await createModel(config, telemetry)
  const random = seeded(config.seed)
  const prices = createPriceLookup()

  const query = async (request) => {
    let body
    try {
      body = await request.json()
    } catch {
      return Response.json(
        { error: 'the body must be JSON: {"query": "...", "user_id": "..."}' },
        { status: 400 },
      )
    }
    if (typeof body?.query !== 'string' || body.query === '') {
      return Response.json({ error: '"query" must be a non-empty string' }, { status: 400 })
    }
    const user = typeof body.user_id === 'string' ? body.user_id : 'anonymous'
    const started = performance.now()
    const release = activeRelease({
      env: process.env,
      defaults: { promptVersion: 'v1', modelVersion: model.model },
    })
    const version =
      release.source.prompt === 'env'
        ? release.promptVersion
        : experiment
          ? experiment.assign(body.user_id).value
          : await client.getStringValue('prompt_version', release.promptVersion, {
              targetingKey: user,
            })
    if (config.faults.latencyMs > 0)
      await new Promise((r) => setTimeout(r, config.faults.latencyMs))
    if (random() < config.faults.errorRate) {
      return Response.json({ error: 'injected failure (FAULT_ERROR_RATE)' }, { status: 500 })
    }
    const answer = await model.answer(prompts[version] ?? prompts.v1, body.query)
    const cost = costOf(prices('anthropic', model.model) ?? prices('openai', model.model), {
      cacheRead: 0,
      cacheWrite: 0,
      reasoning: 0,
      ...answer.usage,
    })
    if (experiment && typeof body.user_id === 'string') {
      experiment.track(body.user_id, 'cost_usd', cost ?? 0)
      experiment.track(body.user_id, 'latency_ms', performance.now() - started)
      experiment.sample(body.user_id, { input: body.query, output: answer.text })
    }
    return Response.json({
      response: answer.text,
      usage: { input_tokens: answer.usage.input, output_tokens: answer.usage.output },
      cost,
      prompt_version: version,
      model: model.model,
    })
  }

  /** `{"user_id", "task_success": 0|1}` or `{"user_id", "thumbs": -1|1}`: an outcome of the user's. */
  const feedback = async (request) => {
    const body = await request.json().catch(() => null)
    if (typeof body?.user_id !== 'string' || body.user_id === '') {
      return Response.json({ error: '"user_id" must be a non-empty string' }, { status: 400 })
    }
    for (const name of ['task_success', 'thumbs']) {
      if (typeof body[name] === 'number') experiment?.track(body.user_id, name, body[name])
    }
    return new Response(null, { status: 204 })
  }

  const app = withRateLimit(
    telemetry.wrap(
      async (request) => {
        const url = new URL(request.url)
        if (url.pathname === '/agent/query' && request.method === 'POST') return query(request)
        if (url.pathname === '/agent/feedback' && request.method === 'POST') {
          return feedback(request)
        }
        return Response.json(
          { error: `no route ${request.method} ${url.pathname}` },
          { status: 404 },
        )
      },
      { route: ['/agent/query'] },
    ),
    {
      limiter,
      key: async (request) =>
        new URL(request.url).pathname === '/agent/query'
          ? ((
              await request
                .clone()
                .json()
                .catch(() => ({}))
            ).user_id ?? 'anonymous')
          : undefined,
    },
  )
  const runtime = createRuntimeHandler({ telemetry, limiter })
  const server = createServer(
    toNodeListener(async (request) => (await runtime(request)) ?? app(request)),
  )
  await new Promise((resolve) => server.listen(config.port, config.host, resolve))
  const address = server.address()
  return {
    url: `http://${config.host}:${address.port}`,
    async close() {
      await new Promise((resolve) => server.close(resolve))
      await limiter.close?.()
      await sink?.close()
      await OpenFeature.close()
    },
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const service = await startAgentService()
  process.stdout.write(`agent-service listening on ${service.url}\n`)
  const stop = () => void service.close().then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}
