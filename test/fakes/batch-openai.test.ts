import OpenAI, { BadRequestError, NotFoundError, toFile } from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeOpenAI } from './openai.js'
import type { FakeOpenAI, FakeOpenAIOptions, OpenAIReplyRequest } from './openai.js'

const servers: FakeOpenAI[] = []

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function setup(options?: FakeOpenAIOptions) {
  const server = await startFakeOpenAI(options)
  servers.push(server)
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1`, maxRetries: 0 })
  return { server, client }
}

type Endpoint = '/v1/chat/completions' | '/v1/responses'

/** One input line; `url` defaults to the chat endpoint. */
function chatLine(customId: string, text: string, extra: object = {}, url: string = CHAT) {
  const body = { model: 'gpt-test', messages: [{ role: 'user' as const, content: text }], ...extra }
  return { custom_id: customId, method: 'POST', url, body }
}

const CHAT = '/v1/chat/completions'
const IDS = Array.from({ length: 10 }, (_, i) => `case-${i}`)
const LINES = IDS.map((id, i) => chatLine(id, `question ${i}`))

async function upload(client: OpenAI, lines: readonly object[]) {
  const text = lines.map((l) => JSON.stringify(l)).join('\n') + '\n'
  return client.files.create({
    file: await toFile(Buffer.from(text), 'batch.jsonl'),
    purpose: 'batch',
  })
}

async function submit(client: OpenAI, lines: readonly object[], endpoint: Endpoint = CHAT) {
  const file = await upload(client, lines)
  return client.batches.create({ input_file_id: file.id, endpoint, completion_window: '24h' })
}

/** Retrieves until the batch leaves `validating`/`in_progress`/`cancelling`. */
async function settle(client: OpenAI, id: string) {
  for (let i = 0; i < 20; i++) {
    const batch = await client.batches.retrieve(id)
    if (!['validating', 'in_progress', 'cancelling'].includes(batch.status)) return batch
  }
  throw new Error('batch never ended')
}

interface OutputLine {
  id: string
  custom_id: string
  response: { status_code: number; request_id: string; body: Record<string, unknown> } | null
  error: { code: string; message: string } | null
}

async function readLines(client: OpenAI, fileId: string | undefined): Promise<OutputLine[]> {
  if (fileId === undefined) throw new Error('no file id')
  const text = await (await client.files.content(fileId)).text()
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as OutputLine)
}

describe('fake OpenAI Files API', () => {
  it('stores an uploaded batch file and answers its File object and content', async () => {
    const { client, server } = await setup()
    const text = LINES.map((l) => JSON.stringify(l)).join('\n') + '\n'
    const file = await upload(client, LINES)
    expect(file).toMatchObject({
      object: 'file',
      purpose: 'batch',
      filename: 'batch.jsonl',
      bytes: Buffer.byteLength(text),
      status: 'processed',
    })
    expect(file.id).toMatch(/^file-/)
    expect(await (await client.files.content(file.id)).text()).toBe(text)
    expect((await client.files.retrieve(file.id)).bytes).toBe(Buffer.byteLength(text))
    await expect(client.files.retrieve('file-nope')).rejects.toBeInstanceOf(NotFoundError)
    expect(server.batches.uploads).toBe(1)
    expect(server.batches.resultsDownloads).toBe(0) // the input file is not a result
  })
})

describe('fake OpenAI Batch API', () => {
  it('goes validating → in_progress → completed, each line the live answer to its body', async () => {
    const { client, server } = await setup()
    const created = await submit(client, LINES)
    expect(created).toMatchObject({
      object: 'batch',
      status: 'validating',
      endpoint: CHAT,
      completion_window: '24h',
      output_file_id: null,
      error_file_id: null,
      request_counts: { total: 10, completed: 0, failed: 0 },
    })
    expect(created.id).toMatch(/^batch_/)
    expect(created.expires_at).toBe(created.created_at + 24 * 3600)
    const running = await client.batches.retrieve(created.id)
    expect(running.status).toBe('in_progress')
    expect(running.request_counts).toEqual({ total: 10, completed: 5, failed: 0 })
    const done = await client.batches.retrieve(created.id)
    expect(done).toMatchObject({
      status: 'completed',
      error_file_id: null,
      errors: null,
      model: 'gpt-test',
    })
    expect(done.request_counts).toEqual({ total: 10, completed: 10, failed: 0 })
    expect(done.completed_at).toBeGreaterThanOrEqual(done.created_at)

    const output = await readLines(client, done.output_file_id)
    expect(output.map((l) => l.custom_id).sort()).toEqual([...IDS].sort())
    expect(output.map((l) => l.custom_id)).not.toEqual(IDS) // real OpenAI keeps no order
    for (const [i, id] of IDS.entries()) {
      const line = output.find((l) => l.custom_id === id)!
      expect(line.error).toBeNull()
      expect(line.id).toMatch(/^batch_req_/)
      expect(line.response?.status_code).toBe(200)
      const live = await client.chat.completions.create(LINES[i]!.body)
      const body = line.response!.body as unknown as OpenAI.ChatCompletion
      expect(body.object).toBe('chat.completion')
      expect(body.choices).toEqual(live.choices)
      expect(body.usage).toEqual(live.usage)
      expect(body.model).toBe(live.model)
    }
    const usage = output.reduce(
      (sum, l) => sum + (l.response!.body.usage as { total_tokens: number }).total_tokens,
      0,
    )
    expect(done.usage?.total_tokens).toBe(usage)
    expect(server.batches).toMatchObject({
      submitted: 1,
      retrieves: 2,
      resultsDownloads: 1,
      uploads: 1,
    })
    expect(server.batches.list).toEqual([
      { id: created.id, customIds: IDS, status: 'completed', retrieves: 2 },
    ])
  })

  it('runs a 1,000-line batch: every line answered once, in a shuffled order', async () => {
    const { client, server } = await setup()
    const ids = Array.from({ length: 1000 }, (_, i) => `big-${i}`)
    const created = await submit(
      client,
      ids.map((id, i) => chatLine(id, `question ${i}`)),
    )
    const done = await settle(client, created.id)
    expect(done.request_counts).toEqual({ total: 1000, completed: 1000, failed: 0 })
    const output = await readLines(client, done.output_file_id)
    expect(new Set(output.map((l) => l.custom_id)).size).toBe(1000)
    const text = (l: OutputLine) =>
      (l.response?.body as unknown as OpenAI.ChatCompletion).choices[0]?.message.content
    expect(output.every((l) => text(l) === `echo: question ${l.custom_id.slice(4)}`)).toBe(true)
    expect(output.slice(0, 5).map((l) => l.custom_id)).not.toEqual(ids.slice(0, 5))
    expect(server.batches.list[0]?.customIds).toEqual(ids)
  })

  it('answers /v1/responses lines as the live Responses endpoint does', async () => {
    const { client } = await setup()
    const body = { model: 'gpt-test', instructions: 'Be brief.', input: 'Hello there' }
    const lines = [{ custom_id: 'r1', method: 'POST', url: '/v1/responses', body }]
    const created = await submit(client, lines, '/v1/responses')
    const done = await settle(client, created.id)
    const [line] = await readLines(client, done.output_file_id)
    const live = await client.responses.create(body)
    const answer = line!.response!.body as unknown as OpenAI.Responses.Response
    expect(answer.object).toBe('response')
    const withoutIds = (items: readonly object[]) => items.map((item) => ({ ...item, id: 'x' }))
    expect(withoutIds(answer.output)).toEqual(withoutIds(live.output)) // ids count requests
    expect(answer.usage).toEqual(live.usage)
    expect(answer.instructions).toBe('Be brief.')
  })

  it('asks the same reply option for each line, with attempt 1, a batch index and the create headers', async () => {
    const seen: OpenAIReplyRequest[] = []
    const { client } = await setup({
      reply: (request) => {
        seen.push(request)
        const text = request.api === 'chat' ? JSON.stringify(request.body.messages) : ''
        return { kind: 'text', text: `graded ${text.length}`, usage: { input: 7, output: 3 } }
      },
    })
    const file = await upload(client, LINES.slice(0, 3))
    const params = { input_file_id: file.id, endpoint: CHAT, completion_window: '24h' } as const
    const metadata = { run: 'r-42' }
    const created = await client.batches.create(
      { ...params, metadata },
      { headers: { 'x-trace': 'run-42' } },
    )
    const done = await settle(client, created.id)
    expect([created.metadata, done.metadata]).toEqual([metadata, metadata])
    expect(await client.files.retrieve(done.output_file_id!)).toMatchObject({
      purpose: 'batch_output',
    })
    const output = await readLines(client, done.output_file_id)
    expect(seen.map((r) => r.batch?.customId)).toEqual(IDS.slice(0, 3))
    expect(seen.map((r) => [r.attempt, r.index, r.batch?.position, r.batch?.id])).toEqual(
      [0, 1, 2].map((i) => [1, i, i, created.id]),
    )
    expect(seen.every((r) => r.headers['x-trace'] === 'run-42')).toBe(true)
    const live = await client.chat.completions.create(LINES[0]!.body)
    const batched = output.find((l) => l.custom_id === 'case-0')!.response!
      .body as unknown as OpenAI.ChatCompletion
    expect(batched.choices[0]?.message.content).toBe(live.choices[0]?.message.content)
    expect(batched.usage).toEqual(live.usage)
    expect(live.usage?.prompt_tokens).toBe(7)
  })

  it('completes partially failed: errored lines go to the error file with their status and body', async () => {
    const { client } = await setup({
      reply: (r) =>
        r.api === 'chat' && JSON.stringify(r.body.messages).includes('boom')
          ? { kind: 'error', status: 429 }
          : { kind: 'text', text: 'fine' },
      batch: {
        outcome: (_id, i) =>
          i === 1 ? { error: 400, message: 'bad line' } : i === 2 ? 'error' : 'ok',
      },
    })
    const lines = [
      chatLine('a', 'hello'),
      chatLine('b', 'hello'),
      chatLine('c', 'hello'),
      chatLine('d', 'boom'),
      chatLine('e', 'hello', { stream: true }),
      { custom_id: 'f', method: 'POST', url: CHAT, body: { model: 'gpt-test' } },
    ]
    const done = await settle(client, (await submit(client, lines)).id)
    expect(done.status).toBe('completed')
    expect(done.request_counts).toEqual({ total: 6, completed: 1, failed: 5 })
    const [ok] = await readLines(client, done.output_file_id)
    expect(ok?.custom_id).toBe('a')
    const errors = await readLines(client, done.error_file_id)
    const byId = Object.fromEntries(errors.map((l) => [l.custom_id, l]))
    expect(Object.keys(byId).sort()).toEqual(['b', 'c', 'd', 'e', 'f'])
    const status = (id: string) => [byId[id]?.response?.status_code, byId[id]?.error]
    expect(['b', 'c', 'd', 'e', 'f'].map(status)).toEqual([
      [400, null],
      [500, null],
      [429, null],
      [400, null],
      [400, null],
    ])
    expect(byId.b?.response?.body).toMatchObject({
      error: { message: 'bad line', type: 'invalid_request_error' },
    })
    expect(byId.c?.response?.body).toMatchObject({ error: { type: 'server_error' } })
    expect(byId.d?.response?.body).toMatchObject({ error: { code: 'rate_limit_exceeded' } })
    expect(JSON.stringify(byId.e?.response?.body)).toMatch(/"message":"Streaming is not supported/)
    // The same 400 the live endpoint answers a body without messages.
    const live = await client.chat.completions
      .create({ model: 'gpt-test' } as never)
      .catch((e: unknown) => e)
    expect(live).toBeInstanceOf(BadRequestError)
    expect(byId.f?.response?.body).toEqual({ error: (live as BadRequestError).error })
  })

  it('expires: expired and hanging lines are in the error file as batch_expired, the rest answered', async () => {
    const { client } = await setup({
      reply: (r) => (r.batch?.position === 3 ? { kind: 'hang' } : { kind: 'text', text: 'ok' }),
      batch: { outcome: (id) => (id === 'case-5' || id === 'case-6' ? 'expired' : 'ok') },
    })
    const done = await settle(client, (await submit(client, LINES)).id)
    expect(done.status).toBe('expired')
    expect(done.expired_at).toBeGreaterThanOrEqual(done.created_at)
    expect(done.completed_at).toBeNull()
    expect(done.request_counts).toEqual({ total: 10, completed: 7, failed: 3 })
    const errors = await readLines(client, done.error_file_id)
    expect(errors.map((l) => l.custom_id).sort()).toEqual(['case-3', 'case-5', 'case-6'])
    for (const line of errors) {
      expect(line.response).toBeNull()
      expect(line.error?.code).toBe('batch_expired')
    }
    expect(await readLines(client, done.output_file_id)).toHaveLength(7)
  })

  it.each([
    ['url_mismatch', [chatLine('a', 'x'), chatLine('b', 'y', {}, '/v1/responses')], 2],
    ['model_mismatch', [chatLine('a', 'x'), chatLine('b', 'y', { model: 'other' })], 2],
    ['duplicate_custom_id', [chatLine('a', 'x'), chatLine('a', 'y')], 2],
    ['invalid_json_line', ['not json', chatLine('a', 'x')], 1],
  ])('fails a batch whose input has a %s, as OpenAI validates it', async (code, lines, line) => {
    const { client, server } = await setup()
    const file = await client.files.create({
      file: await toFile(
        Buffer.from(lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')),
        'b.jsonl',
      ),
      purpose: 'batch',
    })
    const created = await client.batches.create({
      input_file_id: file.id,
      endpoint: CHAT,
      completion_window: '24h',
    })
    expect(created.status).toBe('validating')
    const failed = await client.batches.retrieve(created.id)
    expect(failed).toMatchObject({ status: 'failed', output_file_id: null, error_file_id: null })
    expect(failed.errors?.data).toEqual([expect.objectContaining({ code, line })])
    expect(failed.failed_at).toBeGreaterThanOrEqual(failed.created_at)
    expect(failed.request_counts).toEqual({ total: 0, completed: 0, failed: 0 })
    expect(server.batches.submitted).toBe(1) // created, then failed
  })

  it('fails a batch its refuse option refuses', async () => {
    const { client } = await setup({
      batch: {
        refuse: ({ index, customIds }) =>
          index === 0
            ? { code: 'too_many_tasks', message: `${customIds.length} tasks` }
            : undefined,
      },
    })
    const first = await settle(client, (await submit(client, LINES)).id)
    expect(first.status).toBe('failed')
    expect(first.errors?.data).toEqual([
      { code: 'too_many_tasks', message: '10 tasks', line: null, param: null },
    ])
    expect((await settle(client, (await submit(client, LINES)).id)).status).toBe('completed')
  })

  it('refuses to create a batch of an unknown file, a non-batch file or another endpoint', async () => {
    const { client, server } = await setup()
    const create = (input_file_id: string, endpoint = CHAT) =>
      client.batches.create({
        input_file_id,
        endpoint: endpoint as Endpoint,
        completion_window: '24h',
      })
    const unknown = await create('file-nope').catch((e: unknown) => e)
    expect(unknown).toBeInstanceOf(NotFoundError)
    expect((unknown as NotFoundError).error).toMatchObject({ type: 'invalid_request_error' })
    expect((unknown as NotFoundError).message).toContain('No such File object: file-nope')
    const other = await client.files.create({
      file: await toFile(Buffer.from('{}'), 'x.jsonl'),
      purpose: 'fine-tune',
    })
    await expect(create(other.id)).rejects.toBeInstanceOf(BadRequestError)
    const file = await upload(client, LINES)
    await expect(create(file.id, '/v1/embeddings')).rejects.toBeInstanceOf(BadRequestError)
    await expect(client.batches.retrieve('batch_nope')).rejects.toBeInstanceOf(NotFoundError)
    expect(server.batches.submitted).toBe(0)
  })

  it('cancels: cancelling, then cancelled with partial results and the rest as batch_cancelled', async () => {
    const { client, server } = await setup({ batch: { pollsBeforeDone: 3 } })
    const created = await submit(client, LINES)
    const running = await client.batches.retrieve(created.id)
    expect(running.request_counts).toEqual({ total: 10, completed: 2, failed: 0 })
    const cancelling = await client.batches.cancel(created.id)
    expect(cancelling.status).toBe('cancelling')
    expect(cancelling.cancelling_at).toBeGreaterThanOrEqual(created.created_at)
    const cancelled = await client.batches.retrieve(created.id)
    expect(cancelled.status).toBe('cancelled')
    expect(cancelled.cancelled_at).toBeGreaterThanOrEqual(created.created_at)
    expect(cancelled.request_counts).toEqual({ total: 10, completed: 2, failed: 8 })
    expect(
      (await readLines(client, cancelled.output_file_id)).map((l) => l.custom_id).sort(),
    ).toEqual(['case-0', 'case-1'])
    const rest = await readLines(client, cancelled.error_file_id)
    expect(rest).toHaveLength(8)
    expect(rest.every((l) => l.response === null && l.error?.code === 'batch_cancelled')).toBe(true)
    await expect(client.batches.cancel(created.id)).rejects.toBeInstanceOf(BadRequestError)
    expect(server.batches).toMatchObject({ cancels: 2, retrieves: 2, resultsDownloads: 2 })
  })

  it('stays in_progress for pollsBeforeDone retrieves (0: done on the first)', async () => {
    const { client } = await setup({ batch: { pollsBeforeDone: 3 } })
    const created = await submit(client, LINES)
    const statuses = []
    for (let i = 0; i < 5; i++) statuses.push((await client.batches.retrieve(created.id)).status)
    expect(statuses).toEqual([
      'in_progress',
      'in_progress',
      'in_progress',
      'completed',
      'completed',
    ])
    const quick = await setup({ batch: { pollsBeforeDone: 0 } })
    const batch = await submit(quick.client, LINES)
    expect((await quick.client.batches.retrieve(batch.id)).status).toBe('completed')
  })
})
