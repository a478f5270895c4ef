import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ResultsDocument, SampleResult } from '../../src/contracts/results.js'
import { startFakeAnthropic } from '../fakes/anthropic.js'
import { startFakeOpenAI } from '../fakes/openai.js'
import type { FakeReply, FakeServer, RecordedRequest } from '../fakes/server.js'
import { runCli } from '../helpers/cli.js'
import { tempProject } from '../helpers/project.js'

/*
 * The fault suite: the built CLI drives the openai (chat, plain and streamed) and anthropic
 * (plain and streamed) providers through the official SDKs against fakes that reset connections,
 * cut bodies and streams, and answer malformed 200s. Every case ends passed, failed or error;
 * a fault that clears is retried into a pass; one that persists ends as a classified error after
 * the retries; and the results file and the store agree on every count.
 */

const servers: FakeServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const TEXT = 'ok: no SQL injection in the login handler'

/** The faults, by the name a case's vars give. */
const FAULTS: Record<string, FakeReply> = {
  reset: { kind: 'reset' },
  cut: { kind: 'truncated', text: TEXT, afterChunks: 1 },
  empty: { kind: 'malformed', body: '' },
  braces: { kind: 'malformed', body: '{}' },
  null: { kind: 'malformed', body: 'null' },
  html: { kind: 'malformed', body: '<html>502 Bad Gateway</html>' },
  shape: { kind: 'malformed', body: '{"choices":"none","content":5}' },
}

/** Retries the runner makes (its default): a fault of the first 3 attempts still passes. */
const RETRIES = 3
const CLEARS_AFTER = 2

/**
 * How a case's request is answered, from the prompt `fault=NAME mode=MODE`: `clears` faults the
 * first attempts then answers, `persists` always faults, `wrong` answers what fails the check.
 */
function replyTo(prompt: string, attempt: number): FakeReply {
  const [, fault = '', mode = ''] = /fault=(\S+) mode=(\S+)/.exec(prompt) ?? []
  const reply = FAULTS[fault]
  if (mode === 'wrong') return { kind: 'text', text: 'a wrong answer' }
  if (reply !== undefined && (mode === 'persists' || attempt <= CLEARS_AFTER)) return reply
  return { kind: 'text', text: TEXT, usage: { input: 100, output: 10 } }
}

const promptOf = (body: unknown): string => JSON.stringify(body)

/** The cases of one suite: every fault clearing and persisting, one wrong answer, one clean. */
function cases(): string {
  const rows = [
    ...Object.keys(FAULTS).flatMap((fault) =>
      ['clears', 'persists'].map((mode) => ({ id: `${fault}-${mode}`, vars: { fault, mode } })),
    ),
    { id: 'wrong', vars: { fault: 'none', mode: 'wrong' } },
    { id: 'clean', vars: { fault: 'none', mode: 'clean' } },
  ]
  return rows.map((row) => JSON.stringify(row)).join('\n')
}

async function fakes() {
  const openai = await startFakeOpenAI({
    reply: ({ body, attempt }) => replyTo(promptOf(body.messages), attempt),
  })
  const anthropic = await startFakeAnthropic({
    reply: ({ body, attempt }) => replyTo(promptOf(body.messages), attempt),
  })
  servers.push(openai, anthropic)
  return { openai, anthropic }
}

function faultProject(openai: string, anthropic: string): string {
  const suite = (provider: string) =>
    `  ${provider}: { prompt: p, provider: ${provider}, vars: { provider: ${provider} }, cases: cases.jsonl, assert: [{ type: contains, value: "ok:" }] }`
  return tempProject({
    'shipgate.yaml': `version: 1
providers:
  chat: { type: openai, model: gpt-4o-mini, baseUrl: "${openai}/v1" }
  chat-stream: { type: openai, model: gpt-4o-mini, baseUrl: "${openai}/v1", stream: true }
  messages: { type: anthropic, model: claude-3-5-haiku-20241022, baseUrl: "${anthropic}" }
  messages-stream: { type: anthropic, model: claude-3-5-haiku-20241022, baseUrl: "${anthropic}", stream: true }
prompts:
  p: { user: "fault={{ fault }} mode={{ mode }} for {{ provider }}" }
suites:
${['chat', 'chat-stream', 'messages', 'messages-stream'].map(suite).join('\n')}
runner: { backoffMs: 5, maxBackoffMs: 20, retries: ${RETRIES} }
`,
    'cases.jsonl': cases(),
  })
}

/** How a sample ended. */
const statusOf = (s: SampleResult) => (s.error !== null ? 'error' : s.pass ? 'passed' : 'failed')

/** The requests a fake received for one case of one suite (its prompt names both). */
const requestsFor = (requests: readonly RecordedRequest[], suite: string, caseId: string) => {
  const [fault, mode] =
    caseId === 'wrong' || caseId === 'clean' ? ['none', caseId] : caseId.split('-')
  const needle = `fault=${fault} mode=${mode} for ${suite}"`
  return requests.filter((r) =>
    promptOf((r.body as { messages?: unknown }).messages).includes(needle),
  )
}

describe('the fault suite, through the built CLI', () => {
  it('retries what is retryable, classifies what persists, and the store agrees', async () => {
    const { openai, anthropic } = await fakes()
    const dir = faultProject(openai.url, anthropic.url)
    const env = { OPENAI_API_KEY: 'sk-test', ANTHROPIC_API_KEY: 'sk-ant-test' }
    const run = await runCli(['eval', '--no-progress', '-o', 'results.json'], { cwd: dir, env })
    expect(run.stderr).not.toMatch(/Cannot read properties|at .*\.js:\d+/)
    expect(run.code).toBe(1) // suites below threshold: a negative outcome, not a crash

    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsDocument
    expect(results.run.status).toBe('completed')
    expect(results.suites.map((s) => s.name)).toEqual([
      'chat',
      'chat-stream',
      'messages',
      'messages-stream',
    ])
    for (const suite of results.suites) {
      const fake = suite.name.startsWith('chat') ? openai : anthropic
      for (const c of suite.cases) {
        const [sample] = c.samples
        expect(c.samples).toHaveLength(1)
        if (sample === undefined) continue
        const seen = requestsFor(fake.requests, suite.name, c.id).length
        const where = `${suite.name} › ${c.id}`
        if (c.id.endsWith('-clears')) {
          expect({ where, status: statusOf(sample), attempts: sample.attempts, seen }).toEqual({
            where,
            status: 'passed',
            attempts: CLEARS_AFTER + 1,
            seen: CLEARS_AFTER + 1,
          })
        } else if (c.id.endsWith('-persists')) {
          expect({ where, status: statusOf(sample), attempts: sample.attempts, seen }).toEqual({
            where,
            status: 'error',
            attempts: RETRIES + 1,
            seen: RETRIES + 1,
          })
          expect(sample.error?.kind, where).toBe('unavailable')
          expect(sample.error?.message, where).not.toMatch(/Cannot read|Cannot use|not a function/)
        } else {
          const expected = c.id === 'wrong' ? 'failed' : 'passed'
          expect({ where, status: statusOf(sample), seen }).toEqual({
            where,
            status: expected,
            seen: 1,
          })
        }
      }
    }
    const faults = Object.keys(FAULTS).length
    expect(results.summary).toMatchObject({
      suites: 4,
      cases: 4 * (2 * faults + 2),
      samples: 4 * (2 * faults + 2),
      passed: 4 * (faults + 1),
      failed: 4 * (faults + 1),
      errors: 4 * faults,
    })

    const shown = await runCli(['runs', 'show', results.run.id, '--json'], { cwd: dir, env })
    expect(shown.code).toBe(0)
    const stored = JSON.parse(shown.stdout) as ResultsDocument
    const counts = (doc: ResultsDocument) => ({
      run: { id: doc.run.id, status: doc.run.status },
      summary: {
        suites: doc.summary.suites,
        cases: doc.summary.cases,
        samples: doc.summary.samples,
        passed: doc.summary.passed,
        failed: doc.summary.failed,
        errors: doc.summary.errors,
        costUsd: doc.summary.costUsd,
        pass: doc.summary.pass,
      },
      suites: doc.suites.map((s) => ({
        name: s.name,
        pass: s.pass,
        stats: {
          cases: s.stats.cases,
          samples: s.stats.samples,
          passed: s.stats.passed,
          failed: s.stats.failed,
          errors: s.stats.errors,
          casesPassed: s.stats.casesPassed,
          usage: s.stats.usage,
          costUsd: s.stats.costUsd,
        },
        samples: s.cases.flatMap((c) =>
          c.samples.map((x) => ({
            case: c.id,
            status: statusOf(x),
            attempts: x.attempts,
            error: x.error?.kind ?? null,
            cached: x.cached,
          })),
        ),
      })),
    })
    expect(counts(stored)).toEqual(counts(results))
  })
})
