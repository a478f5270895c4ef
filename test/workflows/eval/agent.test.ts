/**
 * A multi-step agent graded through the real eval workflow: an `exec` provider runs
 * test/fixtures/agent/agent.mjs, which loops model → tool → model through the official OpenAI
 * SDK against a loopback Chat Completions fake scripted to answer with tool calls, runs its own
 * tools and prints { output, steps }. `trajectory` grades the steps in each of its modes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CaseResult, SampleResult } from '../../../src/contracts/results.js'
import { silentLogger } from '../../../src/logger.js'
import { evaluate, type EvalResult } from '../../../src/workflows/eval/index.js'
import { startAgentModel } from '../../fakes/openai-agent.js'
import type { FakeServer } from '../../fakes/server.js'
import { AGENT_PROVIDER_YAML } from '../../helpers/agent.js'
import { tempProject } from '../../helpers/project.js'

const search = (q: string) => ({ name: 'search', arguments: { q } })
const lookup = (id: string) => ({ name: 'lookup', arguments: { id } })

let model: FakeServer
let run: EvalResult

const CONFIG = `version: 1
${AGENT_PROVIDER_YAML}prompts:
  ask: { user: "{{ question }}" }
suites:
  agent:
    prompt: ask
    provider: agent
    threshold: 0
    cases:
      - id: exact
        vars: { question: "weather in paris?" }
        assert:
          - type: trajectory
            value: { steps: [{ name: search, arguments: { q: paris } }, lookup], mode: exact, maxSteps: 3 }
          - { type: tool-call, value: { name: lookup, arguments: { id: doc-paris } } }
          - { type: contains, value: "21°C" }
      - id: in-order
        vars: { question: "weather in paris, the long way" }
        assert:
          - { type: trajectory, value: { steps: [search, lookup], mode: in-order } }
      - id: any-order
        vars: { question: "parallel: weather in paris and 1 + 2" }
        assert:
          - { type: trajectory, value: { steps: [calculator, lookup, search], mode: any-order } }
      - id: wrong-order
        vars: { question: "wrong-order weather in paris" }
        assert:
          - { type: trajectory, value: { steps: [search, lookup], mode: exact } }
      - id: wrong-order-in-order
        vars: { question: "wrong-order again" }
        assert:
          - { type: trajectory, value: { steps: [search, lookup], mode: in-order } }
      - id: overrun
        vars: { question: "loop: weather in paris" }
        assert:
          - { type: trajectory, value: { steps: [search, lookup], mode: in-order, maxSteps: 3 } }
          - { type: not-tool-call, value: calculator }
`

beforeAll(async () => {
  model = await startAgentModel({
    'the long way': [
      { calls: [search('paris')] },
      { calls: [{ name: 'calculator', arguments: { a: 20, b: 1 } }] },
      { calls: [lookup('doc-paris')] },
      { text: 'Sunny, 21°C.' },
    ],
    'weather in paris?': [
      { calls: [search('paris')] },
      { calls: [lookup('doc-paris')] },
      { text: 'Sunny, 21°C in Paris.' },
    ],
    parallel: [
      { calls: [search('paris'), { name: 'calculator', arguments: { a: 1, b: 2 } }] },
      { calls: [lookup('doc-paris')] },
      { text: 'Sunny; and 1 + 2 = 3.' },
    ],
    'wrong-order': [
      { calls: [lookup('doc-paris')] },
      { calls: [search('paris')] },
      { text: 'Sunny.' },
    ],
    loop: [
      { calls: [search('paris')] },
      { calls: [search('paris weather')] },
      { calls: [search('paris today')] },
      { calls: [search('paris now')] },
      { calls: [lookup('doc-paris')] },
      { text: 'Sunny, finally.' },
    ],
  })
  const cwd = tempProject({ 'shipgate.yaml': CONFIG })
  run = await evaluate({
    cwd,
    env: { AGENT_MODEL_URL: `${model.url}/v1` },
    logger: silentLogger,
  })
}, 60_000)

afterAll(() => model.close())

function caseOf(id: string): CaseResult {
  const found = run.results.suites[0]?.cases.find((c) => c.id === id)
  if (found === undefined) throw new Error(`no case ${id}`)
  return found
}

function sampleOf(id: string): SampleResult {
  return caseOf(id).samples[0] as SampleResult
}

describe('a multi-step exec agent graded by trajectory', () => {
  it('runs the model → tool → model loop and records every step with its result', () => {
    const sample = sampleOf('exact')
    expect(sample.error).toBeNull()
    expect(sample.output).toBe('Sunny, 21°C in Paris.')
    expect(sample.trajectory).toEqual([
      { name: 'search', arguments: { q: 'paris' }, result: ['doc-paris'], step: 0 },
      { name: 'lookup', arguments: { id: 'doc-paris' }, result: 'Paris: sunny, 21°C.', step: 1 },
    ])
    // The agent answered each call with a tool message; the fake refuses a loop that does not.
    const exact = model.requests.filter((r) => JSON.stringify(r.body).includes('weather in paris?'))
    expect(exact).toHaveLength(3)
    const last = exact[2]?.body as { messages: { role: string; tool_call_id?: string }[] }
    expect(last.messages.map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'assistant',
      'tool',
    ])
  })

  it('passes the exact, in-order and any-order trajectories', () => {
    for (const id of ['exact', 'in-order', 'any-order']) {
      const kase = caseOf(id)
      expect(kase.pass, `${id}: ${kase.samples[0]?.grades.map((g) => g.reason).join(' | ')}`).toBe(
        true,
      )
    }
    expect(sampleOf('exact').grades[0]?.reason).toBe(
      'exact trajectory matched, within the budget of 3 steps; calls: search → lookup',
    )
    expect(sampleOf('any-order').trajectory?.map((c) => [c.name, c.step])).toEqual([
      ['search', 0],
      ['calculator', 0],
      ['lookup', 1],
    ])
  })

  it('fails a wrong order with a reason naming the step, in exact and in-order modes', () => {
    const exact = sampleOf('wrong-order').grades[0]
    expect(exact).toMatchObject({
      type: 'trajectory',
      pass: false,
      reason: 'step 1 is lookup, expected search; calls: lookup → search',
    })
    const inOrder = sampleOf('wrong-order-in-order').grades[0]
    expect(inOrder).toMatchObject({
      pass: false,
      score: 0.5,
      reason:
        'expected step 2 of 2, lookup, not found after step 2 (search); calls: lookup → search',
    })
  })

  it('fails a step budget overrun naming the first step over it', () => {
    const kase = caseOf('overrun')
    expect(kase.pass).toBe(false)
    const [budget, never] = sampleOf('overrun').grades
    expect(budget).toMatchObject({
      pass: false,
      reason:
        'step 4 (search) exceeds the budget of 3 steps (5 calls); calls: search → search → search → search → lookup',
    })
    expect(budget?.score).toBeCloseTo(0.6, 12)
    expect(never).toMatchObject({ type: 'not-tool-call', pass: true })
  })

  it('counts the failing cases in the suite', () => {
    expect(run.outcome).toBe('passed') // threshold 0: the suite itself does not gate
    const failed = run.results.suites[0]?.cases.filter((c) => !c.pass).map((c) => c.id)
    expect(failed).toEqual(['wrong-order', 'wrong-order-in-order', 'overrun'])
  })
})
