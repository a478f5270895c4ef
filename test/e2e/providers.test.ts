import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startFakeOpenAI } from '../fakes/openai.js'
import { runCli } from '../helpers/cli.js'
import { walkFiles } from '../helpers/files.js'
import { tempProject } from '../helpers/project.js'
import {
  env,
  evalJson,
  fakeAnthropic,
  KEY,
  project,
  samples,
  servers,
} from '../helpers/eval-project.js'

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
    const dir = project(fake.url, 20)
    const run = await runCli(['eval', '--no-progress'], { cwd: dir, env })
    expect(run.code).toBe(3)
    expect(run.stderr).toContain('authentication failed')
    expect(run.stderr).toContain('hint: check the key in ANTHROPIC_API_KEY')
    expect(fake.requests.length).toBeLessThan(20)
    // Stopped, as on Ctrl-C, with what finished kept: not a failed run.
    const runs = await runCli(['runs', 'list', '--json'], { cwd: dir, env })
    expect((JSON.parse(runs.stdout) as unknown[])[0]).toMatchObject({ status: 'interrupted' })
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
})

describe('record and replay from the CLI', () => {
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

  it('takes its mode and directory from the config when no flag is given', async () => {
    const fake = await fakeAnthropic(() => ({ kind: 'text', text: 'from config' }))
    const dir = project(fake.url, 3)
    const config = join(dir, 'shipgate.yaml')
    writeFileSync(
      config,
      `${readFileSync(config, 'utf8')}cassettes: { dir: tapes, mode: record-missing }\n`,
    )
    expect((await evalJson(dir)).code).toBe(0)
    expect(walkFiles(join(dir, 'tapes'))).toHaveLength(1)
    await fake.close()
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace('mode: record-missing', 'mode: replay'),
    )
    const offline = await evalJson(dir, [], {})
    expect(offline.code).toBe(0)
    expect(samples(offline.results).every((s) => s.cached && s.output === 'from config')).toBe(true)
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
