import { execFile, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeAnthropic } from '../fakes/anthropic.js'
import { startFakeOpenAI } from '../fakes/openai.js'
import type { FakeServer } from '../fakes/server.js'
import { finished, startCli } from '../helpers/cli.js'
import { walkFiles } from '../helpers/files.js'
import { tempProject } from '../helpers/project.js'

const run = promisify(execFile)
const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()))
})

async function proxy(args: string[], cwd: string): Promise<{ url: string; child: ChildProcess }> {
  const child = startCli(['proxy', '--port', '0', ...args], { cwd })
  const done = finished(child)
  cleanups.push(async () => {
    child.kill('SIGTERM')
    await done
  })
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (d: Buffer) => resolve(d.toString().trim()))
    child.once('exit', (code) => reject(new Error(`proxy exited ${String(code)}`)))
  })
  return { url, child }
}

async function fakes(): Promise<{ anthropic: FakeServer; openai: FakeServer }> {
  const anthropic = await startFakeAnthropic({
    reply: () => ({
      kind: 'text',
      text: 'Streamed from Anthropic, four chunks',
      usage: { input: 20, output: 8 },
    }),
  })
  const openai = await startFakeOpenAI({
    reply: () => ({
      kind: 'text',
      text: 'Streamed from OpenAI, four chunks',
      usage: { input: 21, output: 9 },
    }),
  })
  return { anthropic, openai }
}

const KEY = 'sk-proxy-test-key-0123456789abcdef0123456789'
const question = [{ role: 'user' as const, content: 'Review: SELECT * FROM users WHERE id = $1' }]

/** The three streamed calls an application makes, through the SDKs, and what they return. */
async function sdkCalls(url: string) {
  const anthropic = new Anthropic({ apiKey: KEY, baseURL: url, maxRetries: 0 })
  const openai = new OpenAI({ apiKey: KEY, baseURL: `${url}/v1`, maxRetries: 0 })
  const events: string[] = []
  let claude = ''
  for await (const e of await anthropic.messages.create({
    model: 'claude-3-5-haiku-20241022',
    max_tokens: 100,
    messages: question,
    stream: true,
  })) {
    events.push(e.type)
    if (e.type === 'content_block_delta' && e.delta.type === 'text_delta') claude += e.delta.text
  }
  let gpt = ''
  let usage: unknown
  for await (const chunk of await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: question,
    stream: true,
    stream_options: { include_usage: true },
  })) {
    gpt += chunk.choices[0]?.delta.content ?? ''
    usage ??= chunk.usage ?? undefined
  }
  let responses = ''
  for await (const e of await openai.responses.create({
    model: 'gpt-4o-mini',
    input: question,
    stream: true,
  })) {
    if (e.type === 'response.output_text.delta') responses += e.delta
  }
  return { events, claude, gpt, usage, responses }
}

/** The raw SSE body curl receives for the Anthropic call. */
async function curl(url: string): Promise<string> {
  const body = JSON.stringify({
    model: 'claude-3-5-haiku-20241022',
    max_tokens: 100,
    messages: question,
    stream: true,
  })
  const { stdout } = await run('curl', [
    '-sS',
    '-N',
    `${url}/v1/messages`,
    '-H',
    'content-type: application/json',
    '-H',
    `x-api-key: ${KEY}`,
    '-H',
    'anthropic-version: 2023-06-01',
    '-d',
    body,
  ])
  return stdout
}

describe('shipgate proxy', () => {
  it('records streamed calls, then in replay serves the same events to the official SDKs and to curl, offline', async () => {
    const dir = tempProject({})
    const { anthropic, openai } = await fakes()
    const recorder = await proxy(
      [
        '--mode',
        'record',
        '--cassettes',
        'cassettes',
        '--anthropic-upstream',
        anthropic.url,
        '--openai-upstream',
        openai.url,
      ],
      dir,
    )
    const live = await sdkCalls(recorder.url)
    const liveCurl = await curl(recorder.url)
    expect(live.claude).toBe('Streamed from Anthropic, four chunks')
    expect(anthropic.requests.length + openai.requests.length).toBe(4)
    await Promise.all([anthropic.close(), openai.close(), cleanups.splice(0)[0]?.()])

    // One pack per API path and model, a line per recorded request.
    const lines = walkFiles(`${dir}/cassettes`).flatMap((f) =>
      readFileSync(f, 'utf8').trimEnd().split('\n'),
    )
    expect(lines).toHaveLength(4)

    const replayer = await proxy(['--mode', 'replay', '--cassettes', 'cassettes'], dir)
    const replayed = await sdkCalls(replayer.url)
    expect(replayed).toEqual(live)
    expect(replayed.usage).toMatchObject({ prompt_tokens: 21, completion_tokens: 9 })
    expect(replayed.events).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ])
    expect(await curl(replayer.url)).toBe(liveCurl)
    expect(liveCurl).toContain('event: message_stop')
    // The SDK drops pings; curl shows every recorded event, pings included.
    expect(liveCurl).toContain('event: ping')
  })

  it("answers a request it has no recording of with a 404 in the API's own error shape, naming the nearest", async () => {
    const dir = tempProject({})
    const { anthropic, openai } = await fakes()
    cleanups.push(
      () => anthropic.close(),
      () => openai.close(),
    )
    const recorder = await proxy(
      [
        '--mode',
        'record',
        '--cassettes',
        'c',
        '--anthropic-upstream',
        anthropic.url,
        '--openai-upstream',
        openai.url,
      ],
      dir,
    )
    await sdkCalls(recorder.url)
    const replayer = await proxy(['--mode', 'replay', '--cassettes', 'c'], dir)
    const client = new Anthropic({ apiKey: KEY, baseURL: replayer.url, maxRetries: 0 })
    const error = await client.messages
      .create({
        model: 'claude-3-5-haiku-20241022',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'never recorded' }],
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Anthropic.NotFoundError)
    expect((error as Error).message).toContain('no recording for POST /v1/messages')
  })

  it('binds to loopback and refuses unknown routes', async () => {
    const dir = tempProject({})
    const { url } = await proxy(['--cassettes', 'c'], dir)
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const response = await fetch(`${url}/v1/models`)
    expect(response.status).toBe(404)
  })
})
