/**
 * The provider contract, run against every builtin: anthropic and openai (Chat Completions and
 * Responses, plain and streamed) through the official SDKs against the loopback fakes, http
 * against a loopback service, exec with a small Node script, and mock with scripted failures.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ProviderContext } from '../../src/contracts/provider.js'
import { silentLogger } from '../../src/logger.js'
import { systemClock } from '../../src/utils/clock.js'
import { httpFetch } from '../../src/utils/http-fetch.js'
import {
  CONTRACT_ANSWER,
  CONTRACT_JSON,
  CONTRACT_USAGE,
  providerContract,
  RETRY_AFTER_SECONDS,
  scenarioIn,
  type ProviderHarness,
  type ProviderScenario,
  type ProviderType,
} from '../contract/provider.contract.js'
import { startFakeAnthropic } from '../fakes/anthropic.js'
import { startFakeOpenAI } from '../fakes/openai.js'
import {
  sleep,
  startFakeServer,
  writeJson,
  type FakeErrorStatus,
  type FakeReply,
} from '../fakes/server.js'

const KEYS = { ANTHROPIC_API_KEY: 'sk-contract', OPENAI_API_KEY: 'sk-contract' }

function context(baseDir = '.'): ProviderContext {
  return {
    name: 'contract',
    baseDir,
    env: { ...KEYS, PATH: process.env.PATH ?? '' },
    clock: systemClock,
    logger: silentLogger,
    // What runs use when not replaying: the keep-alive fetch that stamps each call's latency.
    fetch: httpFetch,
    offline: false,
  }
}

/** What an SDK fake answers to each scenario; `overloaded` is the API's own 5xx. */
function fakeReply(scenario: ProviderScenario | undefined, overloaded: FakeErrorStatus): FakeReply {
  switch (scenario) {
    case 'answer':
    case undefined:
      return { kind: 'text', text: CONTRACT_ANSWER, usage: CONTRACT_USAGE }
    case 'structured':
      return { kind: 'text', text: JSON.stringify(CONTRACT_JSON), usage: CONTRACT_USAGE }
    case 'auth':
      return { kind: 'error', status: 401 }
    case 'rate-limited':
      return { kind: 'error', status: 429, retryAfter: RETRY_AFTER_SECONDS }
    case 'unavailable':
      return { kind: 'error', status: overloaded }
    case 'rejected':
      return { kind: 'error', status: 400 }
    case 'hang':
      return { kind: 'hang' }
    case 'malformed':
      return { kind: 'malformed' }
    case 'cut':
      return { kind: 'truncated', text: CONTRACT_ANSWER, afterChunks: 1 }
  }
}

/**
 * Known bug: a stream's ttftMs counts from before the SDK builds the request, on the clock in
 * whole ms, while latencyMs is the exchange's own (httpFetch's stamp, ADR 0005); against a fast
 * server the first token comes "after" the whole call.
 */
const TTFT_ORIGIN =
  'ttftMs counts from before the SDK builds the request, latencyMs from the request out (ADR 0005)'

const streamed = (stream: boolean): ProviderHarness['cannot'] =>
  stream ? { 'first-token': TTFT_ORIGIN } : {}

function anthropic(stream: boolean): ProviderHarness {
  return {
    type: 'anthropic',
    keyEnv: 'ANTHROPIC_API_KEY',
    cannot: streamed(stream),
    async start() {
      const fake = await startFakeAnthropic({
        reply: ({ body }) => fakeReply(scenarioIn(JSON.stringify(body.messages)), 529),
      })
      return {
        config: () => ({
          type: 'anthropic',
          model: 'claude-3-5-haiku-20241022',
          baseUrl: fake.url,
          stream,
        }),
        context: context(),
        stop: fake.close,
      }
    },
  }
}

function openai(api: 'chat' | 'responses', stream: boolean): ProviderHarness {
  return {
    type: 'openai',
    keyEnv: 'OPENAI_API_KEY',
    cannot: streamed(stream),
    async start() {
      const fake = await startFakeOpenAI({
        reply: (request) =>
          fakeReply(
            scenarioIn(
              JSON.stringify(request.api === 'chat' ? request.body.messages : request.body.input),
            ),
            503,
          ),
      })
      return {
        config: () => ({
          type: 'openai',
          model: 'gpt-4o-mini',
          baseUrl: `${fake.url}/v1`,
          api,
          stream,
        }),
        context: context(),
        stop: fake.close,
      }
    },
  }
}

/** The user's own service: `{ answer, usage }`, or the scenario's failure. */
const http: ProviderHarness = {
  type: 'http',
  async start() {
    const service = await startFakeServer(async ({ request, res, signal }) => {
      const scenario = scenarioIn(JSON.stringify(request.body))
      const status = STATUS[scenario ?? 'answer']
      if (scenario === 'hang') return sleep(60_000, signal)
      if (scenario === 'malformed') return void res.writeHead(200).end('<html>not json</html>')
      if (scenario === 'cut') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' })
        return void res.write('{"answer":"The contr', () => res.destroy())
      }
      if (status !== undefined) {
        const headers: Record<string, string> =
          scenario === 'rate-limited' ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : {}
        return writeJson(res, status, { error: scenario }, headers)
      }
      const answer = scenario === 'structured' ? JSON.stringify(CONTRACT_JSON) : CONTRACT_ANSWER
      writeJson(res, 200, {
        answer,
        usage: CONTRACT_USAGE,
      })
    })
    return {
      config: () => ({
        type: 'http',
        url: `${service.url}/agent/query`,
        body: { query: '{{ prompt }}', user: 'contract' },
        output: 'answer',
        usage: USAGE_PATHS,
      }),
      context: context(),
      stop: service.close,
    }
  },
}

/** Where http and exec answers keep their token counts. */
const USAGE_PATHS = { input: 'usage.input', output: 'usage.output', cacheRead: 'usage.cacheRead' }

const STATUS: Partial<Record<ProviderScenario, number>> = {
  auth: 401,
  'rate-limited': 429,
  unavailable: 503,
  rejected: 400,
}

/** A command on stdin/stdout: the same answers as the service; it cannot say why it failed. */
const SCRIPT = `let input = ''
process.stdin.on('data', (d) => (input += d))
process.stdin.on('end', () => {
  const scenario = /contract:([a-z-]+)/.exec(input)?.[1]
  if (scenario === 'hang') return void setTimeout(() => undefined, 30_000)
  if (scenario === 'malformed') return void process.stdout.write('<html>not json</html>')
  const answer = scenario === 'structured' ? ${JSON.stringify(JSON.stringify(CONTRACT_JSON))} : ${JSON.stringify(CONTRACT_ANSWER)}
  process.stdout.write(JSON.stringify({ answer, usage: ${JSON.stringify(CONTRACT_USAGE)} }))
})
`

const EXEC_CANNOT = 'a command has no status: any failing exit is `unknown`, not retried'

const exec: ProviderHarness = {
  type: 'exec',
  cannot: {
    auth: EXEC_CANNOT,
    'rate-limited': EXEC_CANNOT,
    unavailable: EXEC_CANNOT,
    rejected: EXEC_CANNOT,
    cut: EXEC_CANNOT,
  },
  start() {
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-exec-contract-'))
    writeFileSync(join(dir, 'agent.cjs'), SCRIPT)
    return Promise.resolve({
      config: () => ({
        type: 'exec',
        command: [process.execPath, 'agent.cjs'],
        output: 'answer',
        usage: USAGE_PATHS,
      }),
      context: context(dir),
      stop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    })
  },
}

/** mock acts every failure out by failure injection (every call fails as configured). */
const MOCK_FAILURES: Partial<Record<ProviderScenario, Record<string, unknown>>> = {
  auth: { kind: 'auth', status: 401 },
  'rate-limited': {
    kind: 'rate_limited',
    status: 429,
    retryAfterMs: RETRY_AFTER_SECONDS * 1000,
  },
  unavailable: { kind: 'unavailable', status: 503 },
  rejected: { kind: 'bad_request', status: 400 },
}

const mock: ProviderHarness = {
  type: 'mock',
  cannot: {
    malformed: 'its answers come from its own validated config: there is no wire to garble',
    cut: 'it has no connection to cut',
  },
  start: () =>
    Promise.resolve({
      config: (scenario) => {
        const failure = MOCK_FAILURES[scenario]
        return {
          type: 'mock',
          model: 'contract-model',
          default: scenario === 'structured' ? CONTRACT_JSON : CONTRACT_ANSWER,
          usage: CONTRACT_USAGE,
          latencyMs: scenario === 'hang' ? 60_000 : 0,
          failures: failure === undefined ? [] : [{ every: 1, ...failure }],
        }
      },
      context: context(),
      stop: () => Promise.resolve(),
    }),
}

/** What the `function` provider's function does in each scenario: failures as its error values. */
function functionReply(scenario: ProviderScenario, signal: AbortSignal): unknown {
  switch (scenario) {
    case 'answer':
      return { output: CONTRACT_ANSWER, usage: CONTRACT_USAGE }
    case 'structured':
      return { output: JSON.stringify(CONTRACT_JSON), usage: CONTRACT_USAGE }
    case 'auth':
      return { error: { kind: 'auth', message: 'invalid key' } }
    case 'rate-limited':
      return {
        error: {
          kind: 'rate_limited',
          message: 'slow down',
          retryAfterMs: RETRY_AFTER_SECONDS * 1000,
        },
      }
    case 'unavailable':
      return { error: { kind: 'unavailable', message: 'overloaded' } }
    case 'rejected':
      return { error: { kind: 'bad_request', message: 'no such model' } }
    case 'hang':
      return new Promise((resolve) => signal.addEventListener('abort', () => resolve(null)))
    case 'malformed':
      return { text: CONTRACT_ANSWER }
    case 'cut':
      return { error: { kind: 'unavailable', message: 'the service closed the connection' } }
  }
}

const fn: ProviderHarness = {
  type: 'function',
  start: () =>
    Promise.resolve({
      config: (scenario) => ({
        type: 'function',
        call: (_request: unknown, { signal }: { signal: AbortSignal }) =>
          functionReply(scenario, signal),
      }),
      context: context(),
      stop: () => Promise.resolve(),
    }),
}

/** Every builtin, with each of its modes; a builtin missing here fails the typecheck. */
const HARNESSES: Record<ProviderType, Readonly<Record<string, ProviderHarness>>> = {
  mock: { mock },
  anthropic: { anthropic: anthropic(false), 'anthropic (streamed)': anthropic(true) },
  openai: {
    'openai chat': openai('chat', false),
    'openai chat (streamed)': openai('chat', true),
    'openai responses': openai('responses', false),
    'openai responses (streamed)': openai('responses', true),
  },
  http: { http },
  exec: { exec },
  function: { function: fn },
}

for (const harnesses of Object.values(HARNESSES)) {
  for (const [name, harness] of Object.entries(harnesses)) providerContract(name, harness)
}
