import { afterEach } from 'vitest'
import type { ResultsDocument } from '../../src/contracts/results.js'
import { startFakeAnthropic } from '../fakes/anthropic.js'
import type { FakeReply, FakeServer } from '../fakes/server.js'
import { runCli } from './cli.js'
import { tempProject } from './project.js'

/**
 * Projects that run a suite on an anthropic provider pointed at a loopback fake, and the CLI
 * runs that go with them, shared by the end-to-end tests of providers, record/replay and timing.
 */
export const servers: FakeServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

export async function fakeAnthropic(
  reply: (attempt: number, text: string) => FakeReply,
): Promise<FakeServer> {
  const fake = await startFakeAnthropic({
    reply: ({ attempt, body }) => reply(attempt, JSON.stringify(body.messages)),
  })
  servers.push(fake)
  return fake
}

export const KEY = 'sk-ant-api03-e2eTESTKEYe2eTESTKEYe2eTESTKEYe2eTESTKEY'
export const env = { ANTHROPIC_API_KEY: KEY }

/** A project whose suite runs `n` cases on an anthropic provider pointed at `url`. */
export function project(url: string, n: number, provider = '', runner = '') {
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

export async function evalJson(
  dir: string,
  args: string[] = [],
  extraEnv: Record<string, string> = env,
) {
  const run = await runCli(['eval', '--json', '--no-progress', ...args], {
    cwd: dir,
    env: extraEnv,
  })
  return {
    ...run,
    results: run.stdout === '' ? undefined : (JSON.parse(run.stdout) as ResultsDocument),
  }
}

export const samples = (r: ResultsDocument | undefined) =>
  r?.suites.flatMap((s) => s.cases.flatMap((c) => c.samples)) ?? []
