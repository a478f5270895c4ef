/**
 * Multi-step answers of the user's own code: the exec and http providers read the answer's tool
 * calls and the run's steps by JSON path, normalize them to ToolCall, and refuse bad shapes with
 * an error naming the field and the item.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { CompletionResult, ProviderContext } from '../../src/contracts/provider.js'
import { execProvider } from '../../src/providers/exec/index.js'
import { execOptions } from '../../src/providers/exec/schema.js'
import { httpProvider } from '../../src/providers/http/index.js'
import { httpOptions } from '../../src/providers/http/schema.js'
import { httpFetch } from '../../src/utils/http-fetch.js'
import { tempProject } from '../helpers/project.js'
import { providerContext } from './sdk-setup.js'

const closers: (() => void)[] = []
afterEach(() => closers.splice(0).forEach((close) => close()))

const context = (baseDir = '.'): ProviderContext =>
  providerContext({ PATH: process.env.PATH ?? '' }, { name: 'agent', baseDir, fetch: httpFetch })
const request = { messages: [{ role: 'user' as const, content: 'Weather in Paris?' }], vars: {} }

/** Runs an exec provider whose command prints `answer` as JSON. */
async function execAnswer(answer: unknown, options: Record<string, unknown>) {
  const dir = tempProject({ 'answer.json': JSON.stringify(answer) })
  const parsed = execOptions.parse({ type: 'exec', command: ['cat', 'answer.json'], ...options })
  const signal = new AbortController().signal
  return execProvider.create(parsed, context(dir)).complete(request, { signal })
}

const STEPS = [
  { tool: 'search', arguments: { q: 'weather Paris' }, result: ['meteo.fr'], step: 0 },
  { name: 'fetch', args: '{"url":"meteo.fr"}', output: 'Sunny, 21°C', step: 1 },
]

describe('exec provider: steps and tool calls', () => {
  it('maps the steps to the trajectory, normalized, with result and step', async () => {
    const result = await execAnswer(
      { output: 'Sunny in Paris.', steps: STEPS },
      { output: 'output', trajectory: 'steps' },
    )
    expect(result).toMatchObject({ ok: true, output: 'Sunny in Paris.' })
    expect((result as Extract<CompletionResult, { ok: true }>).trajectory).toEqual([
      { name: 'search', arguments: { q: 'weather Paris' }, result: ['meteo.fr'], step: 0 },
      { name: 'fetch', arguments: { url: 'meteo.fr' }, result: 'Sunny, 21°C', step: 1 },
    ])
    expect(result).not.toHaveProperty('toolCalls')
  })

  it('reads the answer’s own tool calls, OpenAI-style function objects included', async () => {
    const result = await execAnswer(
      {
        text: '',
        calls: [
          { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"id":4}' } },
        ],
      },
      { output: 'text', toolCalls: 'calls' },
    )
    expect(result).toMatchObject({
      ok: true,
      toolCalls: [{ id: 'call_1', name: 'lookup', arguments: { id: 4 } }],
    })
  })

  it('takes a missing or null field as no calls', async () => {
    const result = await execAnswer({ output: 'hi' }, { output: 'output', trajectory: 'steps' })
    expect(result).toMatchObject({ ok: true, output: 'hi' })
    expect(result).not.toHaveProperty('trajectory')
  })

  it('refuses bad shapes with a provider error naming the field and the item', async () => {
    const notList = await execAnswer(
      { output: 'x', steps: { tool: 'a' } },
      { output: 'output', trajectory: 'steps' },
    )
    expect(notList).toMatchObject({
      ok: false,
      error: {
        kind: 'bad_request',
        retryable: false,
        message: 'stdout: the answer\'s trajectory "steps" is an object, not a list of tool calls',
      },
    })
    const noName = await execAnswer(
      { output: 'x', steps: [{ tool: 'a' }, { arguments: {} }] },
      { output: 'output', trajectory: 'steps' },
    )
    expect(noName).toMatchObject({
      ok: false,
      error: {
        message:
          'stdout: the answer\'s trajectory "steps", item 1: has no tool name (`name` or `tool`)',
      },
    })
    const badStep = await execAnswer(
      { output: 'x', calls: [{ name: 'a', step: -1 }] },
      { output: 'output', toolCalls: 'calls' },
    )
    expect(badStep).toMatchObject({
      ok: false,
      error: {
        message:
          'stdout: the answer\'s toolCalls "calls", item 0: `step` is not a whole number ≥ 0',
      },
    })
  })
})

describe('http provider: steps and tool calls', () => {
  it('maps the response’s steps and calls', async () => {
    const server = createServer((req, res) => {
      req.resume()
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(
          JSON.stringify({
            answer: 'Sunny.',
            run: { steps: STEPS },
            calls: [{ name: 'fetch', input: { url: 'x' } }],
          }),
        )
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    closers.push(() => server.close())
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/agent`
    const options = httpOptions.parse({
      type: 'http',
      url,
      output: 'answer',
      trajectory: 'run.steps',
      toolCalls: 'calls',
    })
    const result = await httpProvider
      .create(options, context())
      .complete(request, { signal: new AbortController().signal })
    expect(result).toMatchObject({
      ok: true,
      output: 'Sunny.',
      toolCalls: [{ name: 'fetch', arguments: { url: 'x' } }],
      trajectory: [
        { name: 'search', step: 0 },
        { name: 'fetch', step: 1, arguments: { url: 'meteo.fr' } },
      ],
    })
    const bad = httpOptions.parse({ type: 'http', url, output: 'answer', trajectory: 'answer' })
    const failed = await httpProvider
      .create(bad, context())
      .complete(request, { signal: new AbortController().signal })
    expect(failed).toMatchObject({
      ok: false,
      error: {
        kind: 'bad_request',
        message: 'the answer\'s trajectory "answer" is a string, not a list of tool calls',
      },
    })
  })
})
