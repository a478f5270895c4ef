import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ResultsDocument } from '../../src/contracts/results.js'
import { startFakeOpenAI } from '../fakes/openai.js'
import type { FakeServer } from '../fakes/server.js'
import { runCli } from '../helpers/cli.js'
import { tempProject } from '../helpers/project.js'

/*
 * `shipgate eval` of a suite with tools, the built CLI against the fake OpenAI Chat API
 * (streamed): the calls are in the results file and the HTML report, recorded, and replayed
 * offline with the fake stopped.
 */

let fake: FakeServer | undefined
afterEach(async () => {
  await fake?.close()
})

const env = { OPENAI_API_KEY: 'sk-e2e-test-key' }

describe('shipgate eval with tools', () => {
  it('writes the tool calls to results.json and the report, and replays them offline', async () => {
    fake = await startFakeOpenAI({
      reply: () => ({
        kind: 'text',
        text: '',
        toolCalls: [{ name: 'get_order', arguments: { orderId: 'A-17' } }],
      }),
    })
    const dir = tempProject({
      'shipgate.yaml': `version: 1
providers:
  gpt: { type: openai, model: gpt-4o-mini, baseUrl: "${fake.url}/v1", stream: true }
prompts:
  ask: { user: "Where is order {{ id }}?" }
suites:
  orders:
    prompt: ask
    provider: gpt
    tools:
      - name: get_order
        description: Looks an order up.
        parameters: { type: object, properties: { orderId: { type: string } }, required: [orderId] }
    cases:
      - { id: a17, vars: { id: A-17 } }
`,
    })
    const args = ['eval', '--no-progress', '--record', '-o', 'r.json', '-o', 'r.html']
    const recorded = await runCli(args, { cwd: dir, env })
    expect(recorded.code).toBe(0)
    const results = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as ResultsDocument
    const sample = results.suites[0]?.cases[0]?.samples[0]
    expect(sample?.output).toBe('')
    expect(sample?.toolCalls).toEqual([
      { id: 'call_fake000000_0', name: 'get_order', arguments: { orderId: 'A-17' } },
    ])
    const report = readFileSync(join(dir, 'r.html'), 'utf8')
    expect(report).toContain('<code>get_order</code>')
    expect(report).toContain('{&quot;orderId&quot;:&quot;A-17&quot;}')
    const sent = fake.requests[0]?.body as { tools?: unknown }
    expect(sent.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_order',
          description: 'Looks an order up.',
          parameters: {
            type: 'object',
            properties: { orderId: { type: 'string' } },
            required: ['orderId'],
          },
        },
      },
    ])

    await fake.close()
    const replay = ['eval', '--no-progress', '--replay', '-o', 'replayed.json']
    const replayed = await runCli(replay, { cwd: dir, env: {} })
    expect(replayed.code).toBe(0)
    const again = JSON.parse(readFileSync(join(dir, 'replayed.json'), 'utf8')) as ResultsDocument
    expect(again.suites[0]?.cases[0]?.samples[0]?.toolCalls).toEqual(sample?.toolCalls)
    expect(fake.requests).toHaveLength(1)
  })
})
