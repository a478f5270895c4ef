/**
 * The built CLI grading a multi-step agent: `shipgate eval` runs the exec agent fixture (model →
 * tool → model through the OpenAI SDK against a loopback fake), grades its steps with
 * `trajectory`, exits 1 on the step budget overrun and writes the steps and reasons to the
 * results file.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ResultsDocument } from '../../src/contracts/results.js'
import { startAgentModel } from '../fakes/openai-agent.js'
import type { FakeServer } from '../fakes/server.js'
import { runCli } from '../helpers/cli.js'
import { AGENT_PROVIDER_YAML } from '../helpers/agent.js'
import { tempProject } from '../helpers/project.js'

let model: FakeServer
beforeAll(async () => {
  model = await startAgentModel({
    paris: [
      { calls: [{ name: 'search', arguments: { q: 'paris' } }] },
      { calls: [{ name: 'lookup', arguments: { id: 'doc-paris' } }] },
      { text: 'Sunny, 21°C.' },
    ],
    loop: [
      { calls: [{ name: 'search', arguments: { q: 'a' } }] },
      { calls: [{ name: 'search', arguments: { q: 'b' } }] },
      { calls: [{ name: 'lookup', arguments: { id: 'doc-paris' } }] },
      { text: 'Sunny.' },
    ],
  })
})
afterAll(() => model.close())

describe('shipgate eval on a multi-step exec agent', () => {
  it('grades the trajectory, exits 1 on a budget overrun and keeps the steps', async () => {
    const dir = tempProject({
      'shipgate.yaml': `version: 1
${AGENT_PROVIDER_YAML}prompts:
  ask: { user: "{{ question }}" }
suites:
  agent:
    prompt: ask
    provider: agent
    assert:
      - { type: trajectory, value: { steps: [search, lookup], mode: in-order, maxSteps: 2 } }
    cases:
      - { id: paris, vars: { question: "weather in paris" } }
      - { id: loop, vars: { question: "loop until sure" } }
`,
    })
    const run = await runCli(['eval', '--no-progress', '-o', 'results.json'], {
      cwd: dir,
      env: { AGENT_MODEL_URL: `${model.url}/v1` },
    })
    expect(run.code, run.stderr).toBe(1)
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsDocument
    const cases = results.suites[0]?.cases ?? []
    expect(cases.map((c) => [c.id, c.pass])).toEqual([
      ['paris', true],
      ['loop', false],
    ])
    const loop = cases[1]?.samples[0]
    expect(loop?.trajectory?.map((s) => s.name)).toEqual(['search', 'search', 'lookup'])
    expect(loop?.grades[0]?.reason).toBe(
      'step 3 (lookup) exceeds the budget of 2 steps (3 calls); calls: search → search → lookup',
    )
    expect(run.stdout).toContain('step 3 (lookup) exceeds the budget of 2 steps')
  }, 60_000)
})
