import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeAnthropic } from '../fakes/anthropic.js'
import { startFakeOpenAI } from '../fakes/openai.js'
import type { FakeReply, FakeServer } from '../fakes/server.js'
import { runCli, type CliResult } from '../helpers/cli.js'
import { walkFiles } from '../helpers/files.js'
import { tempProject } from '../helpers/project.js'
import { plantedSecrets } from '../helpers/secrets.js'

/**
 * The issue-14 promise: a key that a provider echoes back (in error bodies, in what the model
 * says) is in no file shipgate writes, no stored row and no byte it prints.
 */

const servers: FakeServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const planted = plantedSecrets(14)
/** A key of no known shape: only the config naming its variable can protect it. */
const PLAIN = ['correct', 'horse', 'battery', 'staple', '9431'].join('-')

/**
 * What the fake says to each case: the key in the model's output, the key quoted in an error
 * body, or every request header (the credentials among them) quoted in an error body.
 */
function echo(caseText: string, key: string, headers: Record<string, string>): FakeReply {
  if (caseText.includes('output')) return { kind: 'text', text: `sure, your key is ${key} ok` }
  if (caseText.includes('header')) {
    return { kind: 'error', status: 400, message: `bad headers ${JSON.stringify(headers)}` }
  }
  return { kind: 'error', status: 400, message: `Incorrect API key provided: ${key}.` }
}

type Kind = 'anthropic' | 'openai'

async function fake(kind: Kind, key: string): Promise<FakeServer> {
  const server =
    kind === 'anthropic'
      ? await startFakeAnthropic({
          reply: ({ body, headers }) => echo(JSON.stringify(body.messages), key, headers),
        })
      : await startFakeOpenAI({ reply: (r) => echo(JSON.stringify(r.body), key, r.headers) })
  servers.push(server)
  return server
}

function project(kind: Kind, url: string): string {
  const baseUrl = kind === 'anthropic' ? url : `${url}/v1`
  const model = kind === 'anthropic' ? 'claude-3-5-haiku-20241022' : 'gpt-4o-mini'
  return tempProject({
    'shipgate.yaml': `version: 1
providers:
  llm:
    type: ${kind}
    model: ${model}
    baseUrl: ${baseUrl}
    apiKeyEnv: TEAM_LLM_CREDENTIAL
prompts:
  p: { user: "please {{ what }}" }
suites:
  s:
    prompt: p
    provider: llm
    assert: [{ type: contains, value: "nothing like this" }]
    cases:
      - { id: output, vars: { what: output } }
      - { id: error, vars: { what: error } }
      - { id: header, vars: { what: header } }
runner: { backoffMs: 10, retries: 0 }
cassettes: { mode: record, dir: cassettes }
`,
  })
}

/** Every file under `dir` (the SQLite store's bytes included) that holds `key`. */
function filesHolding(dir: string, key: string): string[] {
  return walkFiles(dir).filter((file) => readFileSync(file).includes(key))
}

function expectClean(dir: string, runs: readonly CliResult[], key: string): void {
  expect(filesHolding(dir, key)).toEqual([])
  for (const run of runs) {
    expect(run.stdout).not.toContain(key)
    expect(run.stderr).not.toContain(key)
  }
}

const cases: readonly { kind: Kind; key: string; name: string }[] = [
  { kind: 'anthropic', key: planted.anthropic, name: 'an Anthropic key' },
  { kind: 'openai', key: planted.openai, name: 'an OpenAI project key' },
  { kind: 'openai', key: PLAIN, name: 'a key of no known shape' },
]

describe('a planted key echoed by the provider', () => {
  it.each(cases)('$name ($kind) is in no file, row or printed byte', async ({ kind, key }) => {
    const server = await fake(kind, key)
    const dir = project(kind, server.url)
    const summary = join(dir, 'summary.md')
    const env = {
      TEAM_LLM_CREDENTIAL: key,
      GITHUB_ACTIONS: 'true',
      GITHUB_STEP_SUMMARY: summary,
    }
    const outputs = ['-o', 'results.json', '-o', 'junit.xml', '-o', 'report.md']
    const ci = await runCli(
      ['ci', '--no-progress', '--verdict', 'verdict.json', '--comment', 'comment.md', ...outputs],
      { cwd: dir, env },
    )
    const json = await runCli(['eval', '--json', '--no-progress'], { cwd: dir, env })
    const runs = await runCli(['runs', 'list', '--json'], { cwd: dir, env })
    // The echo reached shipgate: the test would prove nothing if the fake had said nothing.
    expect(server.requests.length).toBeGreaterThanOrEqual(6)
    expect(JSON.stringify(server.requests[0]?.headers)).toContain(key)
    expect(ci.code).toBe(1)
    expect(readFileSync(join(dir, 'results.json'), 'utf8')).toContain('[REDACTED]')
    expect(readFileSync(summary, 'utf8')).toContain('REDACTED')
    // A results file from elsewhere that holds the key (an older shipgate made it): `gate`
    // reads it, and nothing it writes or prints holds the key.
    const leaky = join(mkdtempSync(join(tmpdir(), 'shipgate-leaky-')), 'results.json')
    const results = readFileSync(join(dir, 'results.json'), 'utf8')
    writeFileSync(leaky, results.replaceAll('[REDACTED]', key))
    const gateArgs = ['-o', 'gate.json', '-o', 'gate.md', '--json']
    const gate = await runCli(['gate', '--results', leaky, ...gateArgs], { cwd: dir, env })
    expect(gate.code).toBe(1)
    expectClean(dir, [ci, json, runs, gate], key)
  })

  it.each(cases)('$name ($kind) is not in the fatal message of a failed key', async (c) => {
    const server = await startFakeAnthropic({
      reply: ({ headers }) => ({
        kind: 'error',
        status: 401,
        message: `invalid credentials in ${JSON.stringify(headers)}`,
      }),
    })
    servers.push(server)
    const openai = await startFakeOpenAI({
      reply: ({ headers }) => ({
        kind: 'error',
        status: 401,
        message: `Incorrect API key provided: ${(headers.authorization ?? '').slice(7)}`,
      }),
    })
    servers.push(openai)
    const dir = project(c.kind, c.kind === 'anthropic' ? server.url : openai.url)
    const run = await runCli(['eval', '--no-progress', '-o', 'results.json'], {
      cwd: dir,
      env: { TEAM_LLM_CREDENTIAL: c.key },
    })
    expect(run.code).toBe(3)
    expect(run.stderr).toContain('authentication failed')
    expect(run.stderr).toContain('[REDACTED]')
    expectClean(dir, [run], c.key)
  })
})
