import { afterEach, describe, expect, it } from 'vitest'
import { evaluate } from '../../../src/workflows/eval/index.js'
import type { ResultsDocument, SampleResult } from '../../../src/contracts/results.js'
import { ConfigError } from '../../../src/errors.js'
import { silentLogger } from '../../../src/logger.js'
import { openStore } from '../../../src/stores/index.js'
import { startFakeAnthropic } from '../../fakes/anthropic.js'
import { startFakeOpenAI, type OpenAIReplyRequest } from '../../fakes/openai.js'
import type { FakeReply, FakeServer } from '../../fakes/server.js'
import { tempProject } from '../../helpers/project.js'

/*
 * Model-graded assertions end to end: a scripted system under test (mock provider) graded by a
 * judge that is the official SDK talking to a loopback fake of the Anthropic or OpenAI API.
 */

const servers: FakeServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const env = { ANTHROPIC_API_KEY: 'test-anthropic-key', OPENAI_API_KEY: 'test-openai-key' }

type Body = { messages?: { content: unknown }[]; [key: string]: unknown }

async function anthropicJudge(reply: (body: Body, attempt: number) => FakeReply) {
  const fake = await startFakeAnthropic({
    reply: ({ body, index }) => reply(body as unknown as Body, index),
  })
  servers.push(fake)
  return fake
}

async function openaiJudge(reply: (request: OpenAIReplyRequest) => FakeReply) {
  const fake = await startFakeOpenAI({ reply })
  servers.push(fake)
  return fake
}

const text = (value: unknown): FakeReply => ({
  kind: 'text',
  text: typeof value === 'string' ? value : JSON.stringify(value),
  usage: { input: 1000, output: 100 },
})

/** The text of every message of a judge request, joined. */
function promptOf(body: Body): string {
  return (body.messages ?? [])
    .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
    .join('\n')
}

/** A project: a mock system answering `answer`, one case, the given assertion and judge. */
function project(judge: string, assertion: string, answer = 'Paris is the capital of France.') {
  return tempProject({
    'shipgate.yaml': `version: 1
providers:
  app:
    type: mock
    default: ${JSON.stringify(answer)}
${judge}
prompts:
  ask: { user: "{{ question }}" }
suites:
  qa:
    prompt: ask
    provider: app
    cases:
      - id: capital
        vars: { question: "What is the capital of France?" }
        assert:
          - ${assertion}
runner: { backoffMs: 1, retries: 2 }
`,
  })
}

const anthropicProvider = (url: string) => `  grader:
    type: anthropic
    model: claude-3-5-haiku-20241022
    baseUrl: ${url}
judge: grader`

const openaiProvider = (url: string) => `  grader:
    type: openai
    model: gpt-4o-mini
    baseUrl: ${url}/v1
judge: grader`

async function run(dir: string): Promise<ResultsDocument> {
  const store = await openStore('memory:', dir)
  try {
    const { results } = await evaluate({ cwd: dir, env, logger: silentLogger, store })
    return results
  } finally {
    await store.close()
  }
}

function only(results: ResultsDocument): SampleResult {
  const sample = results.suites[0]?.cases[0]?.samples[0]
  if (sample === undefined) throw new Error('no sample')
  return sample
}

describe('llm-rubric', () => {
  it('asks for a forced tool call on Anthropic and grades from its input', async () => {
    const fake = await anthropicJudge(() =>
      text({ reason: 'Names Paris correctly.', pass: true, score: 0.9 }),
    )
    const dir = project(
      anthropicProvider(fake.url),
      '{ type: llm-rubric, value: "Names the capital correctly" }',
    )
    const results = await run(dir)
    const sample = only(results)
    expect(sample.pass).toBe(true)
    expect(sample.grades[0]).toMatchObject({
      type: 'llm-rubric',
      pass: true,
      score: 0.9,
      reason: 'Names Paris correctly.',
      judge: {
        provider: 'anthropic:claude-3-5-haiku-20241022',
        calls: 1,
        usage: { input: 1000, output: 100 },
        cached: false,
      },
    })
    const body = fake.requests[0]?.body as Body
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'rubric_grade' })
    expect(body.tools).toMatchObject([{ name: 'rubric_grade' }])
    expect(promptOf(body)).toContain('Names the capital correctly')
    expect(promptOf(body)).toContain('Paris is the capital of France.')
    // The judge's cost is reported apart: the mock system under test has no price.
    // claude-3-5-haiku: $0.80 / $4 per million tokens.
    expect(sample.costUsd).toBeNull()
    expect(sample.grades[0]?.judge?.costUsd).toBeCloseTo(0.0008 + 0.0004, 12)
    expect(results.summary.costUsd).toBeNull()
    expect(results.summary.judgeCostUsd).toBeCloseTo(0.0012, 12)
    expect(results.suites[0]?.stats.judge).toMatchObject({ calls: 1, unpriced: 0 })
  })

  it('sends a malformed answer back once and then grades the valid one', async () => {
    const fake = await anthropicJudge((_body, index) =>
      index === 0 ? text('I think it passes.') : text({ reason: 'ok', pass: true, score: 1 }),
    )
    const dir = project(anthropicProvider(fake.url), '{ type: llm-rubric, value: "Is correct" }')
    const sample = only(await run(dir))
    expect(sample.pass).toBe(true)
    expect(sample.error).toBeNull()
    expect(sample.grades[0]?.judge?.calls).toBe(2)
    expect(fake.requests).toHaveLength(2)
    const retry = promptOf(fake.requests[1]?.body as Body)
    expect(retry).toContain('I think it passes.')
    expect(retry).toContain('That answer is not valid: it is not a JSON object')
  })

  it('records an error, never a pass, when the judge answers malformed twice', async () => {
    const fake = await anthropicJudge(() => text({ reason: 'ok', pass: 'yes', score: 3 }))
    const dir = project(anthropicProvider(fake.url), '{ type: llm-rubric, value: "Is correct" }')
    const results = await run(dir)
    const sample = only(results)
    expect(fake.requests).toHaveLength(2)
    expect(sample.pass).toBe(false)
    expect(sample.error?.kind).toBe('assertion')
    expect(sample.error?.message).toMatch(/^judge error: judge answered malformed twice: /)
    expect(sample.grades[0]).toMatchObject({ pass: false, score: 0, error: true })
    expect(results.summary).toMatchObject({ passed: 0, errors: 1, pass: false })
  })

  it('keeps a judge failure an error under not-, and retries a 429 after its retry-after', async () => {
    let calls = 0
    const fake = await anthropicJudge(() => {
      calls += 1
      return calls === 1
        ? { kind: 'error', status: 429, retryAfter: 0 }
        : { kind: 'error', status: 400, message: 'bad judge request' }
    })
    const dir = project(
      anthropicProvider(fake.url),
      '{ type: not-llm-rubric, value: "Mentions Berlin" }',
    )
    const sample = only(await run(dir))
    expect(fake.requests).toHaveLength(2)
    expect(sample.pass).toBe(false)
    expect(sample.grades[0]).toMatchObject({ error: true, judge: { calls: 2 } })
    expect(sample.grades[0]?.reason).toContain('bad judge request')
  })
})

describe('g-eval', () => {
  it('asks OpenAI for a strict JSON schema and reports the 1–10 overall as a metric', async () => {
    const scores = { correctness: 9, completeness: 7, clarity: 8, relevance: 9, overall: 8 }
    const fake = await openaiJudge(() =>
      text(
        Object.fromEntries(
          Object.entries(scores).map(([k, score]) => [k, { reason: `${k} reason`, score }]),
        ),
      ),
    )
    const dir = project(openaiProvider(fake.url), '{ type: g-eval }')
    const results = await run(dir)
    const sample = only(results)
    expect(sample.pass).toBe(true)
    expect(sample.grades[0]).toMatchObject({ value: 8, score: 7 / 9 })
    expect(sample.grades[0]?.reason).toMatch(
      /^overall 8\/10 \(correctness 9, completeness 7, clarity 8, relevance 9\)/,
    )
    const body = fake.requests[0]?.body as Body
    const format = body.response_format as {
      type: string
      json_schema: { name: string; strict: boolean; schema: Record<string, unknown> }
    }
    expect(format.type).toBe('json_schema')
    expect(format.json_schema.strict).toBe(true)
    expect(format.json_schema.schema).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['correctness', 'completeness', 'clarity', 'relevance', 'overall'],
    })
    // Range keywords are left out of the schema sent (strict mode), and checked on the answer.
    expect(JSON.stringify(format.json_schema.schema)).not.toMatch(/minimum|maximum/)
    expect(results.suites[0]?.stats.metrics['g-eval']).toMatchObject({
      mean: { value: 8 },
      samples: 1,
    })
  })

  it('fails below the threshold and rejects a score out of range as malformed', async () => {
    let call = 0
    const fake = await openaiJudge(() => {
      call += 1
      const score = call === 1 ? 11 : 5
      return text({
        correctness: { reason: 'r', score },
        overall: { reason: 'weak', score },
      })
    })
    const dir = project(openaiProvider(fake.url), '{ type: g-eval, value: [correctness] }')
    const sample = only(await run(dir))
    expect(fake.requests).toHaveLength(2)
    expect(sample.pass).toBe(false)
    expect(sample.error).toBeNull()
    expect(sample.grades[0]).toMatchObject({ value: 5, pass: false })
  })
})

describe('factuality', () => {
  it('fails a disagreement with the reference and passes a consistent subset', async () => {
    const fake = await anthropicJudge((body) =>
      promptOf(body).includes('Lyon')
        ? text({ reason: 'Says Lyon, the expert says Paris.', category: 'D' })
        : text({ reason: 'Same fact.', category: 'A' }),
    )
    const good = only(
      await run(project(anthropicProvider(fake.url), '{ type: factuality, value: "Paris" }')),
    )
    expect(good.pass).toBe(true)
    expect(good.grades[0]?.reason).toMatch(/^\(A\) output is a consistent subset/)
    const bad = only(
      await run(
        project(
          anthropicProvider(fake.url),
          '{ type: factuality, value: "Paris" }',
          'The capital of France is Lyon.',
        ),
      ),
    )
    expect(bad.pass).toBe(false)
    expect(bad.grades[0]?.reason).toMatch(/^\(D\) output is in disagreement/)
  })
})

describe('pairwise', () => {
  it('runs both orders: a judge that always picks the first answer gives a tie', async () => {
    const fake = await anthropicJudge(() => text({ reason: 'first is better', winner: 'A' }))
    const dir = project(
      anthropicProvider(fake.url),
      '{ type: pairwise, value: "The capital is Paris.", threshold: 0.6 }',
    )
    const sample = only(await run(dir))
    expect(fake.requests).toHaveLength(2)
    const [first, second] = fake.requests.map((r) => promptOf(r.body as Body))
    const output = 'Paris is the capital of France.'
    const reference = 'The capital is Paris.'
    expect(first?.indexOf(output)).toBeLessThan(first?.indexOf(reference) ?? -1)
    expect(second?.indexOf(reference)).toBeLessThan(second?.indexOf(output) ?? -1)
    expect(sample.grades[0]).toMatchObject({ score: 0.5, pass: false })
    expect(sample.grades[0]?.reason).toMatch(/^tie: the verdict changed with the order/)
  })

  it('is a win when the judge prefers the output in both orders', async () => {
    const output = 'Paris is the capital of France.'
    const fake = await anthropicJudge((body) => {
      const prompt = promptOf(body)
      const a = prompt.slice(prompt.indexOf('<answer_a>'), prompt.indexOf('</answer_a>'))
      return text({ reason: 'more complete', winner: a.includes(output) ? 'A' : 'B' })
    })
    const dir = project(anthropicProvider(fake.url), '{ type: pairwise, value: "Paris." }')
    const sample = only(await run(dir))
    expect(sample.grades[0]).toMatchObject({ score: 1, pass: true, judge: { calls: 2 } })
  })
})

describe('judge configuration', () => {
  it('is a config error at file:line when no judge is set', async () => {
    const dir = project('', '{ type: llm-rubric, value: "x" }')
    const error = await run(dir).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).issues[0]).toMatchObject({
      file: 'shipgate.yaml',
      line: 17,
      message: 'a model-graded assertion needs a judge',
    })
  })

  it('refuses an embeddings assertion on a provider without an embeddings endpoint', async () => {
    const dir = project(anthropicProvider('http://127.0.0.1:9'), '{ type: similar, value: "x" }')
    const error = (await run(dir).catch((e: unknown) => e)) as ConfigError
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.issues[0]?.message).toBe(
      'provider "grader" (anthropic) has no embeddings endpoint',
    )
  })

  it('names the unknown judge provider of an assertion with a suggestion', async () => {
    const dir = project(
      anthropicProvider('http://127.0.0.1:9'),
      '{ type: llm-rubric, value: "x", provider: grade }',
    )
    const error = (await run(dir).catch((e: unknown) => e)) as ConfigError
    expect(error.issues[0]).toMatchObject({
      message: 'judge provider "grade" is not defined under providers',
      hint: 'did you mean "grader"?',
    })
  })
})

describe('embedding checks', () => {
  /** Vectors by text: the output and the reference are close, the other text is not. */
  const VECTORS: Record<string, number[]> = {
    'Paris is the capital of France.': [1, 0, 0],
    'The capital of France is Paris.': [0.9, 0.1, 0],
    'Bananas are yellow.': [0, 0, 1],
    'What is the capital of France?': [1, 0.2, 0],
  }
  const vectorOf = (t: string) => VECTORS[t] ?? [0, 1, 0]

  it('similar: the best cosine of the references against the threshold', async () => {
    const fake = await startFakeOpenAI({ embed: ({ texts }) => texts.map(vectorOf) })
    servers.push(fake)
    const dir = project(
      openaiProvider(fake.url),
      '{ type: similar, value: ["Bananas are yellow.", "The capital of France is Paris."], threshold: 0.9 }',
    )
    const results = await run(dir)
    const sample = only(results)
    const expected = 0.9 / Math.sqrt(0.82)
    expect(sample.pass).toBe(true)
    expect(sample.grades[0]?.value).toBeCloseTo(expected, 12)
    expect(sample.grades[0]?.judge).toMatchObject({ provider: 'openai:gpt-4o-mini', calls: 1 })
    const body = fake.requests[0]?.body as { model: string; input: string[] }
    expect(body.model).toBe('text-embedding-3-small')
    expect(body.input).toEqual([
      'Paris is the capital of France.',
      'Bananas are yellow.',
      'The capital of France is Paris.',
    ])
    expect(results.suites[0]?.stats.metrics.similar?.mean.value).toBeCloseTo(expected, 12)
  })

  it('not-similar passes an unrelated output', async () => {
    const fake = await startFakeOpenAI({ embed: ({ texts }) => texts.map(vectorOf) })
    servers.push(fake)
    const dir = project(
      openaiProvider(fake.url),
      '{ type: not-similar, value: "Bananas are yellow." }',
    )
    const sample = only(await run(dir))
    expect(sample.pass).toBe(true)
    expect(sample.grades[0]?.value).toBe(0)
  })

  it('answer-relevance: questions from the judge, embedded against the question asked', async () => {
    const fake = await startFakeOpenAI({
      reply: () => text({ questions: ['What is the capital of France?', 'Bananas are yellow.'] }),
      embed: ({ texts }) => texts.map(vectorOf),
    })
    servers.push(fake)
    const dir = project(openaiProvider(fake.url), '{ type: answer-relevance, threshold: 0.5 }')
    const sample = only(await run(dir))
    // cosine(q, q) = 1 and cosine(q, bananas) = 0: the mean is 0.5.
    expect(sample.grades[0]?.value).toBeCloseTo(0.5, 12)
    expect(sample.pass).toBe(true)
    expect(sample.grades[0]?.judge?.calls).toBe(2)
    const embedded = fake.requests.find((r) => r.path === '/v1/embeddings')?.body as {
      input: string[]
    }
    expect(embedded.input[0]).toBe('What is the capital of France?')
  })
})

describe('judge calls and cassettes', () => {
  it('records judge calls and replays them with the judge offline', async () => {
    const fake = await anthropicJudge(() => text({ reason: 'fine', pass: true, score: 0.8 }))
    const dir = project(
      `${anthropicProvider(fake.url)}
cassettes: { dir: cassettes, mode: record-missing }`,
      '{ type: llm-rubric, value: "Is correct" }',
    )
    const recorded = only(await run(dir))
    expect(recorded.grades[0]?.judge?.cached).toBe(false)
    await fake.close()
    servers.splice(servers.indexOf(fake), 1)
    const store = await openStore('memory:', dir)
    const { results } = await evaluate({
      cwd: dir,
      env: {},
      logger: silentLogger,
      store,
      cassettes: { mode: 'replay' },
    })
    await store.close()
    const replayed = only(results)
    expect(replayed.grades[0]).toMatchObject({
      pass: true,
      score: 0.8,
      reason: 'fine',
      judge: { calls: 1, cached: true, costUsd: recorded.grades[0]?.judge?.costUsd },
    })
  })
})
