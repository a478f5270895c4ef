import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { ProviderContext } from '../../src/contracts/provider.js'
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
  providerContext({ PATH: process.env.PATH ?? '' }, { name: 'svc', baseDir, fetch: httpFetch })
const request = {
  messages: [
    { role: 'system' as const, content: 'Be helpful.' },
    { role: 'user' as const, content: 'What is 2+2?' },
  ],
  vars: { user: 'u-7' },
}
const signal = () => new AbortController().signal

/** The user's own service, on loopback: answers with `answer(body)` and records what it got. */
async function service(
  answer: (
    req: IncomingMessage,
    body: unknown,
  ) => { status?: number; json: unknown; headers?: Record<string, string> },
) {
  const seen: {
    method: string
    url: string
    headers: IncomingMessage['headers']
    body: unknown
  }[] = []
  const server = createServer((req, res) => {
    let raw = ''
    req.on('data', (c: Buffer) => (raw += c.toString()))
    req.on('end', () => {
      const body = raw === '' ? null : (JSON.parse(raw) as unknown)
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      const reply = answer(req, body)
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers })
      res.end(JSON.stringify(reply.json))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  closers.push(() => server.close())
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }
}

describe('http provider (a loopback service)', () => {
  it('sends the templated body and headers, reads the answer and usage by path', async () => {
    const svc = await service(() => ({
      json: { response: 'Four.', meta: { usage: { in: 12, out: 3 } } },
    }))
    const options = httpOptions.parse({
      type: 'http',
      url: `${svc.url}/agent/query`,
      headers: { authorization: 'Bearer token-from-env' },
      body: { query: '{{ prompt }}', user_id: '{{ user }}', system: '{{ system }}', n: 3 },
      output: 'response',
      usage: { input: 'meta.usage.in', output: 'meta.usage.out' },
    })
    const result = await httpProvider
      .create(options, context())
      .complete(request, { signal: signal() })
    expect(result).toMatchObject({
      ok: true,
      output: 'Four.',
      usage: { input: 12, output: 3, cacheRead: 0 },
      cached: false,
    })
    expect(svc.seen[0]).toMatchObject({
      method: 'POST',
      url: '/agent/query',
      body: { query: 'What is 2+2?', user_id: 'u-7', system: 'Be helpful.', n: 3 },
    })
    expect(svc.seen[0]?.headers.authorization).toBe('Bearer token-from-env')
    expect(result.ok && result.latencyMs).toBeGreaterThan(0)
  })

  it('classifies failures by status, with retry-after', async () => {
    const busy = await service(() => ({
      status: 429,
      json: { error: 'slow down' },
      headers: { 'retry-after': '2' },
    }))
    const options = httpOptions.parse({ type: 'http', url: busy.url })
    expect(
      await httpProvider.create(options, context()).complete(request, { signal: signal() }),
    ).toMatchObject({
      ok: false,
      error: { kind: 'rate_limited', retryable: true, retryAfterMs: 2000, status: 429 },
    })
    const broken = await service(() => ({ status: 422, json: { error: 'bad' } }))
    expect(
      await httpProvider
        .create(httpOptions.parse({ type: 'http', url: broken.url }), context())
        .complete(request, { signal: signal() }),
    ).toMatchObject({ ok: false, error: { kind: 'bad_request', retryable: false } })
  })

  it('fails clearly when the answer has nothing at the output path, and when the service is down', async () => {
    const svc = await service(() => ({ json: { other: 1 } }))
    const options = httpOptions.parse({ type: 'http', url: svc.url, output: 'response' })
    expect(
      await httpProvider.create(options, context()).complete(request, { signal: signal() }),
    ).toMatchObject({ ok: false, error: { message: 'the answer has nothing at "response"' } })
    const down = httpOptions.parse({ type: 'http', url: 'http://127.0.0.1:9/none' })
    expect(
      await httpProvider.create(down, context()).complete(request, { signal: signal() }),
    ).toMatchObject({ ok: false, error: { kind: 'unavailable', retryable: true } })
  })
})

describe('exec provider', () => {
  it('gives the command the request as JSON on stdin and reads its answer', async () => {
    const dir = tempProject({
      'agent.mjs':
        "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const r=JSON.parse(s);process.stdout.write(JSON.stringify({text:`${r.vars.user}: ${r.prompt}`,usage:{i:5,o:2}}))})",
    })
    const options = execOptions.parse({
      type: 'exec',
      command: ['node', 'agent.mjs'],
      output: 'text',
      usage: { input: 'usage.i', output: 'usage.o' },
    })
    expect(
      await execProvider.create(options, context(dir)).complete(request, { signal: signal() }),
    ).toMatchObject({ ok: true, output: 'u-7: What is 2+2?', usage: { input: 5, output: 2 } })
  })

  it('takes plain stdout as the answer, through a shell', async () => {
    const options = execOptions.parse({ type: 'exec', command: 'echo plain answer' })
    expect(
      await execProvider.create(options, context()).complete(request, { signal: signal() }),
    ).toMatchObject({ ok: true, output: 'plain answer' })
  })

  it('reports a failing command with its exit code and stderr, and stops a slow one when aborted', async () => {
    const failing = execOptions.parse({ type: 'exec', command: 'echo broken >&2; exit 4' })
    expect(
      await execProvider.create(failing, context()).complete(request, { signal: signal() }),
    ).toMatchObject({
      ok: false,
      error: { message: 'echo broken >&2; exit 4 exited with code 4: broken', retryable: false },
    })
    const slow = execOptions.parse({ type: 'exec', command: ['sleep', '10'] })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    const started = Date.now()
    expect(
      (await execProvider.create(slow, context()).complete(request, { signal: controller.signal }))
        .ok,
    ).toBe(false)
    expect(Date.now() - started).toBeLessThan(3000)
  })
})
