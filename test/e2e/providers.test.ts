import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import type { ResultsDocument } from '../../src/contracts/results.js'
import { startFakeAnthropic } from '../fakes/anthropic.js'
import { startFakeOpenAI } from '../fakes/openai.js'
import type { FakeReply, FakeServer } from '../fakes/server.js'
import { runCli } from '../helpers/cli.js'
import { walkFiles } from '../helpers/files.js'
import { tempProject } from '../helpers/project.js'

const servers: FakeServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

async function fakeAnthropic(
  reply: (attempt: number, text: string) => FakeReply,
): Promise<FakeServer> {
  const fake = await startFakeAnthropic({
    reply: ({ attempt, body }) => reply(attempt, JSON.stringify(body.messages)),
  })
  servers.push(fake)
  return fake
}

const KEY = 'sk-ant-api03-e2eTESTKEYe2eTESTKEYe2eTESTKEYe2eTESTKEY'
const env = { ANTHROPIC_API_KEY: KEY }

/** A project whose suite runs `n` cases on an anthropic provider pointed at `url`. */
function project(url: string, n: number, provider = '', runner = '') {
  const cases = Array.from({ length: n }, (_, i) =>
    JSON.stringify({ id: `c${i}`, vars: { n: i } }),
  ).join('\n')
  return tempProject({
    'shipgate.yaml': `version: 1
providers:
  haiku:
    type: anthropic
    model: claude-3-5-haiku-20241022
    baseUrl: ${url}
    params: { temperature: 0 }
${provider}prompts:
  p: { user: "Question {{ n }}" }
suites:
  s: { prompt: p, provider: haiku, cases: cases.jsonl }
runner: { backoffMs: 10, ${runner} }
`,
    'cases.jsonl': cases,
  })
}

async function evalJson(dir: string, args: string[] = [], extraEnv: Record<string, string> = env) {
  const run = await runCli(['eval', '--json', '--no-progress', ...args], {
    cwd: dir,
    env: extraEnv,
  })
  return {
    ...run,
    results: run.stdout === '' ? undefined : (JSON.parse(run.stdout) as ResultsDocument),
  }
}

const samples = (r: ResultsDocument | undefined) =>
  r?.suites.flatMap((s) => s.cases.flatMap((c) => c.samples)) ?? []

describe('real providers from the CLI, against the fakes', () => {
  it('passes, with usage and cost; 429 is retried after retry-after', async () => {
    const fake = await fakeAnthropic((attempt) =>
      attempt === 1
        ? { kind: 'error', status: 429, retryAfter: 1 }
        : { kind: 'text', text: 'fine', usage: { input: 100, output: 10 } },
    )
    const dir = project(fake.url, 2)
    const started = Date.now()
    const { code, results, stderr } = await evalJson(dir)
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
    expect(samples(results).map((s) => s.attempts)).toEqual([2, 2])
    expect(results?.suites[0]?.stats.costUsd.total).toBeCloseTo(
      (2 * (100 * 0.8 + 10 * 4)) / 1e6,
      12,
    )
    expect(results?.suites[0]?.provider.id).toBe('anthropic:claude-3-5-haiku-20241022')
  })

  it('does not retry a 400: the case fails with the reason, exit 1', async () => {
    const fake = await fakeAnthropic(() => ({
      kind: 'error',
      status: 400,
      message: 'max_tokens too large',
    }))
    const { code, results } = await evalJson(project(fake.url, 1))
    expect(code).toBe(1)
    expect(fake.requests).toHaveLength(1)
    expect(samples(results)[0]).toMatchObject({
      pass: false,
      attempts: 1,
      error: { kind: 'bad_request' },
    })
  })

  it('stops at an authentication failure with exit 3 and names the variable', async () => {
    const fake = await fakeAnthropic(() => ({ kind: 'error', status: 401 }))
    const run = await runCli(['eval', '--no-progress'], { cwd: project(fake.url, 20), env })
    expect(run.code).toBe(3)
    expect(run.stderr).toContain('authentication failed')
    expect(run.stderr).toContain('hint: check the key in ANTHROPIC_API_KEY')
    expect(fake.requests.length).toBeLessThan(20)
  })

  it('refuses to start without the key, and says how to run offline', async () => {
    const fake = await fakeAnthropic(() => ({ kind: 'text', text: 'x' }))
    const run = await runCli(['eval'], { cwd: project(fake.url, 1), env: {} })
    expect(run.code).toBe(3)
    expect(run.stderr).toContain('ANTHROPIC_API_KEY is not set')
    expect(run.stderr).toContain('--replay')
  })

  it('enforces the per-call timeout, retrying it', async () => {
    const fake = await fakeAnthropic(() => ({ kind: 'hang' }))
    const { code, results } = await evalJson(
      project(fake.url, 1, '    timeoutMs: 300\n', 'retries: 1'),
    )
    expect(code).toBe(1)
    expect(samples(results)[0]).toMatchObject({ attempts: 2, error: { kind: 'timeout' } })
    expect(fake.requests).toHaveLength(2)
  })

  it('a mid-stream error is a case error, never a pass', async () => {
    const fake = await fakeAnthropic(() => ({
      kind: 'stream-error',
      text: 'half an answer',
      afterChunks: 1,
    }))
    const { results } = await evalJson(project(fake.url, 1, '    stream: true\n', 'retries: 0'))
    expect(samples(results)[0]).toMatchObject({
      pass: false,
      output: null,
      error: { kind: 'unavailable' },
    })
  })

  it('--provider and the ci: block override a provider for one run', async () => {
    const fake = await fakeAnthropic(() => ({ kind: 'text', text: 'ok' }))
    const dir = project(fake.url, 1)
    const config = join(dir, 'shipgate.yaml')
    writeFileSync(
      config,
      `${readFileSync(config, 'utf8')}ci:\n  providers:\n    haiku: { model: claude-3-haiku-20240307, params: { max_tokens: 500 } }\n`,
    )
    await evalJson(dir, ['--provider', 'haiku.temperature=0.5'])
    await evalJson(dir, [], { ...env, CI: 'true' })
    await evalJson(dir, ['--provider', 'haiku.model=claude-3-5-sonnet-20241022'], {
      ...env,
      CI: 'true',
    })
    const bodies = fake.requests.map((r) => r.body as Record<string, unknown>)
    expect(bodies[0]).toMatchObject({ model: 'claude-3-5-haiku-20241022', temperature: 0.5 })
    expect(bodies[1]).toMatchObject({
      model: 'claude-3-haiku-20240307',
      max_tokens: 500,
      temperature: 0,
    })
    expect(bodies[2]).toMatchObject({ model: 'claude-3-5-sonnet-20241022', max_tokens: 500 })
    const bad = await runCli(['eval', '--provider', 'nope.model=x'], { cwd: dir, env })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('no provider named "nope"')
  })

  it('measures the call, not the harness: 50 ms answers at concurrency 32 report a p50 within 5 ms of 50', async () => {
    // A lean fake in its own process, so that the fake's own work and the test runner's are not
    // counted as the call's latency (see test/fakes/lean-anthropic.mjs).
    const script = fileURLToPath(new URL('../fakes/lean-anthropic.mjs', import.meta.url))
    const fake = spawn(process.execPath, [script, '50'], { stdio: ['ignore', 'pipe', 'inherit'] })
    try {
      const url = await new Promise<string>((resolve) =>
        fake.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())),
      )
      // Ten rounds of 32: the first round also opens the connections and warms both processes up.
      const { results } = await evalJson(project(url, 320), ['--concurrency', '32'])
      const p50 = results?.suites[0]?.stats.latencyMs.p50 ?? 0
      expect(Math.abs(p50 - 50), `p50 ${p50}`).toBeLessThanOrEqual(5)
    } finally {
      fake.kill()
    }
  })
})

describe('record and replay from the CLI', () => {
  it('replays a recorded 50-case suite with the fake stopped: same outputs and usage, under 1 s', async () => {
    const fake = await fakeAnthropic((_attempt, text) => ({
      kind: 'text',
      text: `answer to ${text}`,
      usage: { input: 40, output: 7 },
    }))
    const dir = project(fake.url, 50)
    const recorded = await evalJson(dir, ['--record'])
    expect(recorded.code).toBe(0)
    expect(fake.requests).toHaveLength(50)
    await fake.close()
    const started = Date.now()
    const replayed = await evalJson(dir, ['--replay'], {})
    const elapsed = Date.now() - started
    expect(replayed.stderr).toBe('')
    expect(replayed.code).toBe(0)
    expect(elapsed).toBeLessThan(1000)
    const strip = (r: ResultsDocument | undefined) =>
      samples(r).map((s) => ({ id: s.caseId, output: s.output, usage: s.usage, cost: s.costUsd }))
    expect(strip(replayed.results)).toEqual(strip(recorded.results))
    expect(samples(replayed.results).every((s) => s.cached)).toBe(true)
    const packs = walkFiles(join(dir, 'cassettes'))
    expect(packs).toEqual([
      join(dir, 'cassettes', 'v1-messages', 'claude-3-5-haiku-20241022.jsonl'),
    ])
    expect(
      readFileSync(packs[0] as string, 'utf8')
        .trimEnd()
        .split('\n'),
    ).toHaveLength(50)

    const cases = join(dir, 'cases.jsonl')
    writeFileSync(
      cases,
      readFileSync(cases, 'utf8').replace(
        '{"id":"c7","vars":{"n":7}}',
        '{"id":"c7","vars":{"n":77}}',
      ),
    )
    const missed = await runCli(['eval', '--replay', '--no-progress'], { cwd: dir, env: {} })
    expect(missed.code).toBe(3)
    expect(missed.stderr).toContain('replay found no recording for 1 request:')
    // Exactly that one request missed; the nearest recording differs only in its question.
    expect(missed.stderr.match(/no recording for POST \/v1\/messages/g)).toHaveLength(1)
    expect(missed.stderr).toMatch(
      /body\.messages\.0\.content: recorded "Question \d+", requested "Question 77"/,
    )
  })

  it('never writes an API key, whether in a header or in the body', async () => {
    const fake = await fakeAnthropic(() => ({ kind: 'text', text: 'ok' }))
    const planted = 'sk-ant-api03-PLANTEDplantedPLANTEDplantedPLANTEDplanted'
    const dir = project(fake.url, 3, '    headers: { x-planted: "${PLANTED}" }\n')
    const config = join(dir, 'shipgate.yaml')
    const text = readFileSync(config, 'utf8')
    writeFileSync(
      config,
      text.replace(
        'params: { temperature: 0 }',
        'params: { temperature: 0, stop_sequences: ["${PLANTED}"] }',
      ),
    )
    const run = await evalJson(dir, ['--record'], { ...env, PLANTED: planted })
    expect(run.code).toBe(0)
    expect(fake.requests[0]?.headers['x-planted']).toBe(planted)
    const files = walkFiles(join(dir, 'cassettes'))
    expect(
      readFileSync(files[0] as string, 'utf8')
        .trimEnd()
        .split('\n'),
    ).toHaveLength(3)
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      expect(text).not.toContain(planted)
      expect(text).not.toContain(KEY)
      expect(text).toContain('[REDACTED]')
    }
  })

  it('record-missing is the response cache: a second run makes no calls', async () => {
    const fake = await fakeAnthropic(() => ({ kind: 'text', text: 'cached' }))
    const dir = project(fake.url, 5)
    await evalJson(dir, ['--record-missing'])
    const second = await evalJson(dir, ['--record-missing'])
    expect(fake.requests).toHaveLength(5)
    expect(samples(second.results).every((s) => s.cached)).toBe(true)
  })
})

describe('openai from the CLI', () => {
  it('runs the responses API streamed', async () => {
    const fake = await startFakeOpenAI({
      reply: () => ({ kind: 'text', text: 'streamed reply', usage: { input: 10, output: 3 } }),
    })
    servers.push(fake)
    const dir = tempProject({
      'shipgate.yaml': `version: 1
providers:
  mini: { type: openai, api: responses, stream: true, model: gpt-4o-mini, baseUrl: "${fake.url}/v1" }
prompts:
  p: { user: "hi" }
suites:
  s: { prompt: p, provider: mini, cases: [{ assert: [{ type: equals, value: streamed reply }] }] }
`,
    })
    const { code, results } = await evalJson(dir, [], { OPENAI_API_KEY: 'sk-test' })
    expect(code).toBe(0)
    expect(samples(results)[0]?.usage).toMatchObject({ input: 10, output: 3 })
  })
})
