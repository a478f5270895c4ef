import Anthropic, { AnthropicError, BadRequestError, NotFoundError } from '@anthropic-ai/sdk'
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeAnthropic } from './anthropic.js'
import type { AnthropicReplyRequest, FakeAnthropic, FakeAnthropicOptions } from './anthropic.js'

const servers: FakeAnthropic[] = []

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function setup(options?: FakeAnthropicOptions) {
  const server = await startFakeAnthropic(options)
  servers.push(server)
  const client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: server.url, maxRetries: 0 })
  return { server, client }
}

type Request = Anthropic.Messages.BatchCreateParams.Request

function request(customId: string, text: string, extra: object = {}): Request {
  const params = {
    model: 'claude-test-1',
    max_tokens: 64,
    system: 'Be brief.',
    messages: [{ role: 'user' as const, content: text }],
    ...extra,
  }
  return { custom_id: customId, params }
}

const IDS = Array.from({ length: 10 }, (_, i) => `case_${i}`)
const REQUESTS = IDS.map((id, i) => request(id, `question ${i}`))

/** Retrieves until the batch has ended. */
async function settle(client: Anthropic, id: string) {
  for (let i = 0; i < 20; i++) {
    const batch = await client.messages.batches.retrieve(id)
    if (batch.processing_status === 'ended') return batch
  }
  throw new Error('batch never ended')
}

async function results(client: Anthropic, id: string) {
  const all: Anthropic.Messages.MessageBatchIndividualResponse[] = []
  for await (const item of await client.messages.batches.results(id)) all.push(item)
  return all
}

function byId(items: readonly Anthropic.Messages.MessageBatchIndividualResponse[]) {
  return Object.fromEntries(items.map((item) => [item.custom_id, item.result]))
}

describe('fake Anthropic Message Batches', () => {
  it('goes in_progress → ended, each result the message a live request gets', async () => {
    const { client, server } = await setup()
    const created = await client.messages.batches.create({ requests: REQUESTS })
    expect(created).toMatchObject({
      type: 'message_batch',
      processing_status: 'in_progress',
      request_counts: { processing: 10, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
      ended_at: null,
      cancel_initiated_at: null,
      archived_at: null,
      results_url: null,
    })
    expect(created.id).toMatch(/^msgbatch_/)
    const createdAt = Date.parse(created.created_at)
    expect(Date.parse(created.expires_at) - createdAt).toBe(24 * 3600 * 1000)
    const running = await client.messages.batches.retrieve(created.id)
    expect(running.processing_status).toBe('in_progress')
    expect(running.request_counts.processing).toBe(10) // counted only once the batch ends
    const ended = await client.messages.batches.retrieve(created.id)
    expect(ended.processing_status).toBe('ended')
    expect(ended.results_url).toBe(`${server.url}/v1/messages/batches/${created.id}/results`)
    expect(ended.request_counts).toEqual({
      processing: 0,
      succeeded: 10,
      errored: 0,
      canceled: 0,
      expired: 0,
    })
    expect(Date.parse(ended.ended_at!)).toBeGreaterThanOrEqual(createdAt)

    const items = await results(client, created.id)
    expect(items.map((i) => i.custom_id).sort()).toEqual([...IDS].sort())
    expect(items.map((i) => i.custom_id)).not.toEqual(IDS) // no order is promised
    const found = byId(items)
    for (const [i, id] of IDS.entries()) {
      const result = found[id]
      if (result?.type !== 'succeeded') throw new Error(`${id}: ${result?.type}`)
      const live = await client.messages.create(REQUESTS[i]!.params)
      expect(result.message.content).toEqual(live.content)
      expect(result.message.usage).toEqual(live.usage)
      expect([result.message.model, result.message.stop_reason]).toEqual([
        live.model,
        live.stop_reason,
      ])
    }
    // results() retrieves the batch first: that is a retrieve too.
    expect(server.batches).toMatchObject({
      submitted: 1,
      retrieves: 3,
      resultsDownloads: 1,
      uploads: 0,
    })
    expect(server.batches.list).toEqual([
      { id: created.id, customIds: IDS, status: 'ended', retrieves: 3 },
    ])
  })

  it('runs a 1,000-request batch: every request answered once, in a shuffled order', async () => {
    const { client } = await setup()
    const requests = Array.from({ length: 1000 }, (_, i) => request(`big_${i}`, `question ${i}`))
    const created = await client.messages.batches.create({ requests })
    const ended = await settle(client, created.id)
    expect(ended.request_counts.succeeded).toBe(1000)
    const items = await results(client, created.id)
    expect(new Set(items.map((i) => i.custom_id)).size).toBe(1000)
    const text = ({ result }: (typeof items)[number]) =>
      result.type === 'succeeded' && result.message.content[0]?.type === 'text'
        ? result.message.content[0].text
        : ''
    expect(items.every((i) => text(i) === `echo: question ${i.custom_id.slice(4)}`)).toBe(true)
    expect(items.slice(0, 5).map((i) => i.custom_id)).not.toEqual(
      requests.slice(0, 5).map((r) => r.custom_id),
    )
  })

  it('asks the same reply option for each request, with attempt 1, a batch index and the create headers', async () => {
    const seen: AnthropicReplyRequest[] = []
    const { client } = await setup({
      reply: (r) => {
        seen.push(r)
        return {
          kind: 'text',
          text: '{"city":"Paris"}',
          usage: { input: 11, output: 4, cacheRead: 5 },
        }
      },
    })
    const tool = { name: 'answer', input_schema: { type: 'object' as const } }
    const forced = request('tool_1', 'where?', {
      tools: [tool],
      tool_choice: { type: 'tool', name: 'answer' },
    })
    const requests = [REQUESTS[0]!, forced]
    const created = await client.messages.batches.create(
      { requests },
      { headers: { 'x-trace': 'run-7' } },
    )
    await settle(client, created.id)
    const found = byId(await results(client, created.id))
    expect(
      seen.map((r) => [r.attempt, r.index, r.batch?.customId, r.batch?.position, r.batch?.id]),
    ).toEqual([
      [1, 0, 'case_0', 0, created.id],
      [1, 1, 'tool_1', 1, created.id],
    ])
    expect(seen.every((r) => r.headers['x-trace'] === 'run-7')).toBe(true)
    const live = await client.messages.create(forced.params)
    const batched = found.tool_1
    if (batched?.type !== 'succeeded') throw new Error('tool_1 did not succeed')
    expect(batched.message.content).toEqual([
      { ...live.content[0], id: expect.any(String) as unknown },
    ])
    expect(batched.message.content[0]).toMatchObject({ type: 'tool_use', input: { city: 'Paris' } })
    expect(batched.message.usage).toEqual(live.usage)
  })

  it('reports errored, expired and canceled requests beside the succeeded ones', async () => {
    const { client } = await setup({
      reply: (r) =>
        r.batch?.customId === 'hangs' ? { kind: 'hang' } : { kind: 'text', text: 'fine' },
      batch: {
        outcome: (id) =>
          id === 'late'
            ? 'expired'
            : id === 'broken'
              ? 'error'
              : id === 'bad'
                ? { error: 400, message: 'bad one' }
                : 'ok',
      },
    })
    const requests = [
      request('good', 'hi'),
      request('late', 'hi'),
      request('broken', 'hi'),
      request('bad', 'hi'),
      request('hangs', 'hi'),
      request('streams', 'hi', { stream: true }),
      {
        custom_id: 'no_max',
        params: { model: 'claude-test-1', messages: [] },
      } as unknown as Request,
    ]
    const created = await client.messages.batches.create({ requests })
    const ended = await settle(client, created.id)
    expect(ended.request_counts).toEqual({
      processing: 0,
      succeeded: 1,
      errored: 4,
      canceled: 0,
      expired: 2,
    })
    const found = byId(await results(client, created.id))
    expect(found.good?.type).toBe('succeeded')
    expect([found.late, found.hangs]).toEqual([{ type: 'expired' }, { type: 'expired' }])
    const error = (id: string) => {
      const result = found[id]
      return result?.type === 'errored' ? result.error.error : undefined
    }
    expect(error('broken')).toMatchObject({ type: 'api_error' })
    expect(error('bad')).toEqual({ type: 'invalid_request_error', message: 'bad one' })
    expect(error('streams')).toMatchObject({ type: 'invalid_request_error' })
    // The same error a live request without max_tokens gets.
    const live = await client.messages.create(requests[6]!.params).catch((e: unknown) => e)
    expect(live).toBeInstanceOf(BadRequestError)
    expect((live as BadRequestError).error).toMatchObject({ error: error('no_max') })
    expect(error('no_max')).toEqual({
      type: 'invalid_request_error',
      message: 'max_tokens: Field required',
    })
  })

  it.each([
    ['a custom_id with a space', [request('has space', 'x')]],
    ['a custom_id of 65 characters', [request('a'.repeat(65), 'x')]],
    ['a repeated custom_id', [request('same', 'x'), request('same', 'y')]],
    ['no requests', []],
  ])('refuses a batch with %s (400 invalid_request_error)', async (_what, requests) => {
    const { client, server } = await setup()
    const error = await client.messages.batches.create({ requests }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BadRequestError)
    expect((error as BadRequestError).error).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error' },
    })
    expect(server.batches.submitted).toBe(0)
  })

  it('refuses a batch its refuse option refuses, with its message', async () => {
    const { client, server } = await setup({
      batch: {
        refuse: ({ customIds }) => ({
          code: 'too_big',
          message: `${customIds.length} is too many`,
        }),
      },
    })
    const error = await client.messages.batches
      .create({ requests: REQUESTS })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BadRequestError)
    expect((error as BadRequestError).message).toContain('10 is too many')
    expect(server.batches.submitted).toBe(0)
  })

  it('has no results before the batch ends, and 404s an unknown batch', async () => {
    const { client } = await setup()
    const created = await client.messages.batches.create({ requests: REQUESTS })
    await expect(client.messages.batches.results(created.id)).rejects.toBeInstanceOf(AnthropicError)
    await expect(client.messages.batches.retrieve('msgbatch_nope')).rejects.toBeInstanceOf(
      NotFoundError,
    )
  })

  it('cancels: canceling, then ended with the unprocessed requests canceled', async () => {
    const { client, server } = await setup({ batch: { pollsBeforeDone: 4 } })
    const created = await client.messages.batches.create({ requests: REQUESTS })
    await client.messages.batches.retrieve(created.id) // 2 of 10 processed
    const canceling = await client.messages.batches.cancel(created.id)
    expect(canceling.processing_status).toBe('canceling')
    expect(canceling.cancel_initiated_at).not.toBeNull()
    const ended = await client.messages.batches.retrieve(created.id)
    expect(ended.processing_status).toBe('ended')
    expect(ended.request_counts).toEqual({
      processing: 0,
      succeeded: 2,
      errored: 0,
      canceled: 8,
      expired: 0,
    })
    const items = await results(client, created.id)
    expect(
      items
        .filter((i) => i.result.type === 'succeeded')
        .map((i) => i.custom_id)
        .sort(),
    ).toEqual(['case_0', 'case_1'])
    expect(items.filter((i) => i.result.type === 'canceled')).toHaveLength(8)
    await expect(client.messages.batches.cancel(created.id)).rejects.toBeInstanceOf(BadRequestError)
    expect(server.batches.cancels).toBe(2)
  })

  it('stays in_progress for pollsBeforeDone retrieves (0: ended on the first)', async () => {
    const { client } = await setup({ batch: { pollsBeforeDone: 2 } })
    const created = await client.messages.batches.create({ requests: REQUESTS })
    const statuses = []
    for (let i = 0; i < 4; i++)
      statuses.push((await client.messages.batches.retrieve(created.id)).processing_status)
    expect(statuses).toEqual(['in_progress', 'in_progress', 'ended', 'ended'])
    const quick = await setup({ batch: { pollsBeforeDone: 0 } })
    const batch = await quick.client.messages.batches.create({ requests: REQUESTS })
    expect((await quick.client.messages.batches.retrieve(batch.id)).processing_status).toBe('ended')
  })
})
