/**
 * `transform:` through the real eval workflow: suite, case and assertion transforms run in that
 * order on the output before grading, the stored output stays the model's own, a throwing
 * transform fails its sample (never the run) naming the transform, and a changed transform
 * changes the case's fingerprint.
 */
import { describe, expect, it } from 'vitest'
import type { ConfigInput } from '../../../src/config/schema.js'
import type { SampleResult } from '../../../src/contracts/results.js'
import { ConfigError } from '../../../src/errors.js'
import { silentLogger } from '../../../src/logger.js'
import type { FunctionCall } from '../../../src/providers/function/index.js'
import { evaluate, type EvalResult } from '../../../src/workflows/eval/index.js'
import { tempProject, writeFiles } from '../../helpers/project.js'

/** The system under test answers JSON, and calls a tool when asked about the weather. */
const agent: FunctionCall = (request) => {
  const city = String(request.vars.city)
  return Promise.resolve({
    output: JSON.stringify({ answer: city, meta: { words: city.split(' ').length } }),
    toolCalls: [{ name: 'weather', arguments: { city } }],
  })
}

function config(suite: Record<string, unknown>, cases: unknown[]): ConfigInput {
  return {
    version: 1,
    providers: { agent: { type: 'function', call: agent } },
    prompts: { ask: { user: 'Where? {{ city }}' } },
    suites: { s: { prompt: 'ask', provider: 'agent', threshold: 0, ...suite, cases } },
  } as ConfigInput
}

async function run(value: ConfigInput, cwd = tempProject({})): Promise<EvalResult> {
  return await evaluate({ config: value, cwd, env: {}, logger: silentLogger })
}

const sampleOf = (result: EvalResult, i = 0) =>
  result.results.suites[0]?.cases[i]?.samples[0] as SampleResult

describe('transform', () => {
  it('runs suite, then case, then assertion transforms; the stored output stays raw', async () => {
    const result = await run(
      config({ transform: 'JSON.parse(output).answer' }, [
        {
          id: 'chain',
          vars: { city: 'paris' },
          transform: 'output.toUpperCase()',
          assert: [
            { type: 'equals', value: 'PARIS' },
            { type: 'equals', value: 'PARIS!', transform: 'output + "!"' },
          ],
        },
        { id: 'suite-only', vars: { city: 'lyon' }, assert: [{ type: 'equals', value: 'lyon' }] },
      ]),
    )
    const chain = sampleOf(result)
    expect(chain.grades.map((g) => [g.pass, g.reason])).toEqual([
      [true, 'output equals "PARIS"'],
      [true, 'output equals "PARIS!"'],
    ])
    expect(chain.output).toBe('{"answer":"paris","meta":{"words":1}}')
    expect(sampleOf(result, 1).pass).toBe(true)
  })

  it('gives transforms the context (vars, toolCalls) and JSON-stringifies other results', async () => {
    const result = await run(
      config({}, [
        {
          id: 'ctx',
          vars: { city: 'rome' },
          assert: [
            {
              type: 'equals',
              value: 'rome/weather',
              transform: '`${context.vars.city}/${context.toolCalls[0].name}`',
            },
            {
              type: 'equals',
              value: { words: 1 },
              transform: 'return JSON.parse(output).meta',
            },
            { type: 'is-json', transform: '[1, 2]' },
          ],
        },
      ]),
    )
    const grades = sampleOf(result).grades
    expect(
      grades.map((g) => g.pass),
      grades.map((g) => g.reason).join(' | '),
    ).toEqual([true, true, true])
  })

  it('fails the sample, never the run, when a transform throws, naming the transform', async () => {
    const result = await run(
      config({}, [
        {
          id: 'throws',
          vars: { city: 'oslo' },
          transform: 'JSON.parse(output).missing.field',
          assert: [{ type: 'not-contains', value: 'x' }],
        },
        {
          id: 'undefined',
          vars: { city: 'bern' },
          assert: [{ type: 'contains', value: 'b', transform: 'const x = 1' }],
        },
        { id: 'fine', vars: { city: 'rome' }, assert: [{ type: 'contains', value: 'rome' }] },
      ]),
    )
    const thrown = sampleOf(result, 0)
    expect(thrown.pass).toBe(false)
    expect(thrown.grades[0]).toMatchObject({ pass: false, error: true })
    expect(thrown.grades[0]?.reason).toMatch(
      /^case transform \(<inline config> suites\.s\.cases\.0\) failed: .*undefined/,
    )
    expect(thrown.error).toMatchObject({ kind: 'assertion' })
    expect(sampleOf(result, 1).grades[0]?.reason).toMatch(
      /^transform of contains \(.*\) failed: it returned undefined/,
    )
    expect(sampleOf(result, 2).pass).toBe(true)
  })

  it('loads file:// transforms and reports a transform that does not compile at its line', async () => {
    const cwd = tempProject({
      'shipgate.yaml': `version: 1
providers:
  bot: { type: mock, default: '{"answer": "Paris"}' }
prompts:
  ask: { user: "Capital?" }
suites:
  s:
    prompt: ask
    provider: bot
    transform: file://transforms/answer.mjs
    cases:
      - id: one
        assert: [{ type: equals, value: paris }]
`,
      'transforms/answer.mjs':
        'export default (output, context) => JSON.parse(output).answer.toLowerCase()\n',
    })
    const result = await evaluate({ cwd, env: {}, logger: silentLogger })
    expect(sampleOf(result).pass).toBe(true)
    writeFiles(cwd, {
      'shipgate.yaml': `version: 1
providers:
  bot: { type: mock, default: "x" }
prompts:
  ask: { user: "Capital?" }
suites:
  s:
    prompt: ask
    provider: bot
    cases:
      - id: one
        assert:
          - { type: contains, value: x, transform: "output.(" }
`,
    })
    const error = await evaluate({ cwd, env: {}, logger: silentLogger }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).issues[0]).toMatchObject({
      file: 'shipgate.yaml',
      line: 13,
      message: expect.stringMatching(/^transform does not compile/) as unknown,
    })
  })

  it('refuses a transform in a cases file unless the suite trusts it', async () => {
    const cwd = tempProject({
      'shipgate.yaml': `version: 1
providers:
  bot: { type: mock, default: "x" }
prompts:
  ask: { user: "Capital?" }
suites:
  s: { prompt: ask, provider: bot, cases: cases.yaml }
`,
      'cases.yaml': `- id: one
  transform: output.trim()
  assert: [{ type: contains, value: x }]
`,
    })
    const error = await evaluate({ cwd, env: {}, logger: silentLogger }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).issues[0]).toMatchObject({
      file: 'cases.yaml',
      line: 1,
      message: 'a transform in a cases file runs code',
    })
  })

  it('changes the case fingerprint when a transform or its file changes', async () => {
    const cwd = tempProject({ 't.mjs': 'export default (o) => o\n' })
    const fingerprint = async (suite: Record<string, unknown>, caseTransform?: string) => {
      const kase = { id: 'a', vars: { city: 'x' }, transform: caseTransform, assert: [] }
      const result = await run(config(suite, [kase]), cwd)
      return result.results.suites[0]?.cases[0]?.fingerprint
    }
    const plain = await fingerprint({})
    const withCase = await fingerprint({}, 'output.trim()')
    const otherCase = await fingerprint({}, 'output.trimEnd()')
    const withSuite = await fingerprint({ transform: 'file://t.mjs' })
    writeFiles(cwd, { 't.mjs': 'export default (o) => o.trim()\n' })
    const suiteFileChanged = await fingerprint({ transform: 'file://t.mjs' })
    const fingerprints = [plain, withCase, otherCase, withSuite, suiteFileChanged]
    expect(fingerprints.every((f) => typeof f === 'string')).toBe(true)
    expect(new Set(fingerprints).size).toBe(5)
    expect(await fingerprint({})).toBe(plain)
  })
})
