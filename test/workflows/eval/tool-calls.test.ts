import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ToolCall } from '../../../src/contracts/provider.js'
import type { ResultsDocument, SampleResult } from '../../../src/contracts/results.js'
import { ConfigError } from '../../../src/errors.js'
import { silentLogger } from '../../../src/logger.js'
import { openStore } from '../../../src/stores/index.js'
import { loadConfig } from '../../../src/config/load.js'
import { evaluate } from '../../../src/workflows/eval/index.js'
import { buildPlan } from '../../../src/workflows/eval/plan.js'
import type { CassetteChoice } from '../../../src/workflows/eval/cassettes.js'
import { loadRunResults, readResults } from '../../../src/workflows/results/index.js'
import { startFakeAnthropic } from '../../fakes/anthropic.js'
import { startFakeOpenAI } from '../../fakes/openai.js'
import type { FakeReply, FakeServer } from '../../fakes/server.js'
import { minimalConfig, tempProject, writeFiles } from '../../helpers/project.js'

/*
 * A suite that declares tools, run by evaluate() on each of the three APIs (the official SDKs
 * against the loopback fakes), plain and streamed: the tools go out with every request, the
 * answers' calls land in the results, the SQLite store and the cassettes, and a replay with the
 * fake stopped gives the same calls. The agent assertions (`tool-call`, `not-tool-call`,
 * `tool-calls-valid`, `trajectory`) pass and fail on those calls as specified, recorded and replayed.
 */

const servers: FakeServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const env = { ANTHROPIC_API_KEY: 'test-anthropic-key', OPENAI_API_KEY: 'test-openai-key' }

/** Each case asks about one city; the model calls get_weather for it, and search for two. */
function reply(question: string): FakeReply {
  const city = /about (\w+)/.exec(question)?.[1] ?? 'nowhere'
  return {
    kind: 'text',
    text: city === 'Oslo' ? 'Checking.' : '',
    toolCalls: [
      { name: 'get_weather', arguments: { city, unit: 'c' } },
      ...(city === 'Paris' ? [{ name: 'search', arguments: { q: `${city} news` } }] : []),
    ],
    usage: { input: 100, output: 20 },
  }
}

const EXPECTED: Record<string, Omit<ToolCall, 'id'>[]> = {
  paris: [
    { name: 'get_weather', arguments: { city: 'Paris', unit: 'c' } },
    { name: 'search', arguments: { q: 'Paris news' } },
  ],
  oslo: [{ name: 'get_weather', arguments: { city: 'Oslo', unit: 'c' } }],
}

type Api = 'anthropic' | 'chat' | 'responses'

async function startFake(api: Api): Promise<FakeServer> {
  const fake =
    api === 'anthropic'
      ? await startFakeAnthropic({ reply: ({ body }) => reply(JSON.stringify(body.messages)) })
      : await startFakeOpenAI({ reply: ({ body }) => reply(JSON.stringify(body)) })
  servers.push(fake)
  return fake
}

function providerYaml(api: Api, url: string, stream: boolean): string {
  return api === 'anthropic'
    ? `{ type: anthropic, model: claude-3-5-haiku-20241022, baseUrl: "${url}", stream: ${stream} }`
    : `{ type: openai, api: ${api}, model: gpt-4o-mini, baseUrl: "${url}/v1", stream: ${stream} }`
}

const TOOLS_YAML = `    tools:
      - name: get_weather
        description: The weather in a city.
        parameters:
          type: object
          properties: { city: { type: string }, unit: { enum: [c, f] } }
          required: [city]
      - name: search
        parameters: { type: object, properties: { q: { type: string } } }
`

function project(api: Api, url: string, stream: boolean, tools = TOOLS_YAML): string {
  return tempProject({
    'shipgate.yaml': `version: 1
providers:
  model: ${providerYaml(api, url, stream)}
prompts:
  ask: { user: "What about {{ city }}?" }
suites:
  weather:
    prompt: ask
    provider: model
${tools}    cases:
      - id: paris
        vars: { city: Paris }
        assert:${tools === TOOLS_YAML ? '\n          - { type: tool-calls-valid }' : ''}
          - { type: tool-call, value: { name: search, arguments: { q: Paris news } } }
          - { type: trajectory, value: { steps: [get_weather, search], mode: exact } }
      - id: oslo
        vars: { city: Oslo }
        assert:
          - { type: not-tool-call, value: search }
          - { type: tool-call, value: { name: get_weather, arguments: { unit: f } } }
store: .shipgate/shipgate.db
runner: { backoffMs: 1, retries: 0 }
`,
  })
}

/** Runs the project's eval on its configured SQLite store; returns the results. */
async function run(
  dir: string,
  cassettes?: CassetteChoice,
  vars: Record<string, string> = env,
): Promise<ResultsDocument> {
  const { results } = await evaluate({ cwd: dir, env: vars, logger: silentLogger, cassettes })
  return results
}

function samples(results: ResultsDocument): SampleResult[] {
  return results.suites.flatMap((s) => s.cases.flatMap((c) => c.samples))
}

/** Each sample's grades as `type: pass`, by case. */
function gradesByCase(results: ResultsDocument): Record<string, string[]> {
  return Object.fromEntries(
    samples(results).map((s) => [s.caseId, s.grades.map((g) => `${g.type}: ${g.pass}`)]),
  )
}

const GRADES = {
  paris: ['tool-calls-valid: true', 'tool-call: true', 'trajectory: true'],
  oslo: ['not-tool-call: true', 'tool-call: false'],
}

/** Each sample's calls without their ids, by case. */
function callsByCase(results: ResultsDocument): Record<string, unknown> {
  return Object.fromEntries(
    samples(results).map((s) => [s.caseId, s.toolCalls?.map(({ id: _id, ...call }) => call)]),
  )
}

for (const api of ['anthropic', 'chat', 'responses'] as const) {
  for (const stream of [false, true]) {
    describe(`a suite with tools on ${api} (stream: ${stream})`, () => {
      it('keeps the calls in the results and the store, and replays them from cassettes', async () => {
        const fake = await startFake(api)
        const dir = project(api, fake.url, stream)
        const recorded = await run(dir, { mode: 'record' })
        expect(callsByCase(recorded)).toEqual(EXPECTED)
        // The agent assertions grade the normalized calls: pass and fail as specified.
        expect(gradesByCase(recorded)).toEqual(GRADES)
        const wrong = samples(recorded).find((s) => s.caseId === 'oslo')?.grades[1]
        expect(wrong?.reason).toContain('get_weather({"city":"Oslo","unit":"c"})')
        for (const s of samples(recorded)) {
          for (const call of s.toolCalls ?? []) expect(typeof call.id).toBe('string')
        }
        expect(samples(recorded).find((s) => s.caseId === 'oslo')?.output).toBe('Checking.')
        expect(fake.requests).toHaveLength(2)
        for (const request of fake.requests) {
          const tools = (request.body as { tools?: { name?: string; function?: object }[] }).tools
          expect(tools).toHaveLength(2)
        }

        // The SQLite store the config names keeps them.
        const store = await openStore('.shipgate/shipgate.db', dir)
        try {
          const stored = await loadRunResults(store, recorded.run.id)
          expect(samples(stored).map((s) => s.toolCalls)).toEqual(
            samples(recorded).map((s) => s.toolCalls),
          )
        } finally {
          await store.close()
        }

        // Replayed with the fake stopped and no keys: the same calls, ids included.
        await fake.close()
        const replayed = await run(dir, { mode: 'replay' }, {})
        expect(samples(replayed).every((s) => s.cached)).toBe(true)
        expect(samples(replayed).map((s) => s.toolCalls)).toEqual(
          samples(recorded).map((s) => s.toolCalls),
        )
        expect(gradesByCase(replayed)).toEqual(GRADES)
        expect(fake.requests).toHaveLength(2)
      })
    })
  }
}

describe('tools in the cassette key and the results file', () => {
  it('misses the recording under --replay when the tools changed', async () => {
    const fake = await startFake('chat')
    const dir = project('chat', fake.url, false)
    await run(dir, { mode: 'record' })
    const changed = TOOLS_YAML.replace('The weather in a city.', 'The forecast.')
    writeFiles(dir, {
      'shipgate.yaml': readFileSync(join(dir, 'shipgate.yaml'), 'utf8').replace(
        TOOLS_YAML,
        changed,
      ),
    })
    const replayed = await run(dir, { mode: 'replay' }, {}).catch((e: unknown) => e)
    expect(replayed).toBeInstanceOf(Error)
    expect((replayed as Error).message).toContain('no recording for 2 requests')
    expect((replayed as Error).message).toContain(
      'body.tools.0.function.description: recorded "The weather in a city.", requested "The forecast."',
    )
  })

  it('reads a results file with tool calls back with them', async () => {
    const fake = await startFake('anthropic')
    const dir = project('anthropic', fake.url, false)
    const results = await run(dir)
    const file = join(dir, 'results.json')
    writeFileSync(file, JSON.stringify(results))
    expect(callsByCase(await readResults(file))).toEqual(EXPECTED)
  })
})

describe('the tools: config', () => {
  const bad = async (tools: string): Promise<string> => {
    const dir = project('chat', 'http://127.0.0.1:9', false, tools)
    const error = await run(dir).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    return (error as Error).message
  }

  it('refuses a name the APIs do not accept', async () => {
    const message = await bad(`    tools:
      - { name: "get weather", parameters: { type: object } }
`)
    expect(message).toMatch(/tool name/)
    expect(message).toMatch(/shipgate\.yaml:\d+/)
  })

  it('refuses parameters that are not an object schema', async () => {
    const message = await bad(`    tools:
      - { name: get_weather, parameters: { type: string } }
`)
    expect(message).toMatch(/JSON Schema of an object/)
  })

  it('refuses two tools of the same name', async () => {
    const message = await bad(`    tools:
      - { name: t, parameters: { type: object } }
      - { name: t, parameters: { type: object } }
`)
    expect(message).toMatch(/same name/)
  })
})

describe('planning a suite with tools', () => {
  const TOOL = '    tools: [{ name: lookup, parameters: { type: object } }]\n'
  async function planned(suiteExtra: string) {
    const dir = tempProject({ 'shipgate.yaml': minimalConfig(suiteExtra) })
    const { plan } = await buildPlan(await loadConfig({ cwd: dir, env: {} }), {
      suites: [],
      tags: [],
    })
    const suite = plan.suites[0]
    if (suite === undefined) throw new Error('no suite planned')
    return suite
  }

  it('gives the planned suite its tools, and none without tools:', async () => {
    expect((await planned(TOOL)).tools).toEqual([
      { name: 'lookup', parameters: { type: 'object' } },
    ])
    expect((await planned('')).tools).toBeUndefined()
    expect((await planned('    tools: []\n')).tools).toBeUndefined()
  })

  it('changes the case fingerprint when the tools change, so no old result is reused', async () => {
    const none = (await planned('')).cases[0]?.fingerprint
    const one = (await planned(TOOL)).cases[0]?.fingerprint
    const described = (await planned(TOOL.replace('lookup,', 'lookup, description: Finds,')))
      .cases[0]?.fingerprint
    expect(new Set([none, one, described]).size).toBe(3)
    expect((await planned(TOOL)).cases[0]?.fingerprint).toBe(one)
    expect((await planned('    tools: []\n')).cases[0]?.fingerprint).toBe(none)
  })
})
