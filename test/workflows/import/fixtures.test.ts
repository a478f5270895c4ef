/**
 * Every promptfoo fixture imports, loads, and runs: against loopback fakes of the OpenAI and
 * Anthropic APIs (through the official SDKs), a local HTTP service, scripts, or the echo
 * provider. The expected pass/fail of each case is what promptfoo's documented assertion
 * semantics give for the scripted answers (noted beside each).
 */
import { createServer, type IncomingMessage } from 'node:http'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startFakeAnthropic } from '../../fakes/anthropic.js'
import { startFakeOpenAI, type OpenAIReplyRequest } from '../../fakes/openai.js'
import type { FakeReply } from '../../fakes/server.js'
import { imported, outcomes, promptText, runImported, servers } from './helpers.js'

const text = (value: string): FakeReply => ({ kind: 'text', text: value })

async function openai(answer: (prompt: string, request: OpenAIReplyRequest) => string) {
  const fake = await startFakeOpenAI({
    reply: (request) => text(answer(promptText(request.body), request)),
  })
  servers.push(fake)
  return fake
}

async function anthropic(answer: (prompt: string) => string) {
  const fake = await startFakeAnthropic({
    reply: ({ body }) => text(answer(promptText(body))),
  })
  servers.push(fake)
  return fake
}

const KEYS = { OPENAI_API_KEY: 'test-openai', ANTHROPIC_API_KEY: 'test-anthropic' }

/** The answer a judge gives, by the JSON schema shipgate asked for. */
function judged(request: OpenAIReplyRequest, answers: Record<string, unknown>): string | undefined {
  const format = (request.body as { response_format?: { json_schema?: { name?: string } } })
    .response_format
  const name = format?.json_schema?.name
  return name === undefined ? undefined : JSON.stringify(answers[name])
}

describe('promptfoo fixtures, imported and run', () => {
  it('openai-basic: filters, params, equals/contains/not-, weights and case thresholds', async () => {
    const fake = await openai((p) => {
      if (p.includes('Greet ADA in French')) return 'Bonjour ADA' // contains + icontains
      if (p.includes('Greet BOB in English')) return 'Hello BOB' // equals, not-contains
      if (p.includes('Greet CY in German')) return 'Hallo CY' // 3 of 4 weight ≥ 0.6
      return 'Hola DI' // 1 of 4 weight < 0.6
    })
    const { dir, report } = await imported('openai-basic')
    expect(report.findings).toEqual([])
    const results = await runImported(dir, KEYS, [`openai-gpt-4o-mini.baseUrl=${fake.url}/v1`])
    expect(outcomes(results)).toEqual({
      'promptfoo › french greeting': true,
      'promptfoo › english by default': true,
      'promptfoo › weighted with threshold': true,
      'promptfoo › weighted below threshold': false,
    })
    expect(fake.requests[0]?.body).toMatchObject({
      model: 'gpt-4o-mini',
      temperature: 0,
      max_tokens: 100,
    })
  })

  it('anthropic-chat: a chat JSON prompt, tests from YAML, defaultTest is-json, apiKeyEnvar', async () => {
    const fake = await anthropic((p) =>
      p.includes('France')
        ? '{"city": "Paris"}'
        : p.includes('Japan')
          ? '{"city": "Osaka"}'
          : 'no idea',
    )
    const { dir, report } = await imported('anthropic-chat')
    expect(report.findings).toEqual([])
    const results = await runImported(dir, { MY_ANTHROPIC_KEY: 'k-mine' }, [
      `haiku.baseUrl=${fake.url}`,
    ])
    expect(outcomes(results)).toEqual({
      'promptfoo › france': true, // is-json and contains Paris
      'promptfoo › japan': false, // regex wants Tokyo
      'promptfoo › not json': false, // defaultTest is-json
    })
    const request = fake.requests[0]
    expect(request?.headers.authorization).toBe('Bearer k-mine')
    expect(request?.body).toMatchObject({ temperature: 0.2, max_tokens: 300 })
    expect(JSON.stringify(request?.body)).toContain('You answer in JSON')
  })

  it('csv-tests: __expected shorthands, grade: judged, __threshold, __metadata as tags', async () => {
    const fake = await openai((p, request) => {
      const judge = judged(request, {
        rubric_grade: { reason: 'names Paris', pass: true, score: 1 },
      })
      if (judge !== undefined) return judge
      if (p.includes('2+2')) return '4'
      if (p.includes('France')) return 'Paris'
      if (p.includes('planet')) return 'Jupiter.' // equals "Jupiter" fails
      if (p.includes('sky')) return 'Blue' // javascript passes, contains green fails: 0.5 ≥ 0.5
      return '100 C'
    })
    const { dir, report } = await imported('csv-tests')
    expect(report.findings.map((f) => `${f.file}:${f.line}: ${f.feature}`)).toEqual([
      'tests.csv:6: assert type "python"',
    ])
    const results = await runImported(dir, KEYS, [
      `openai-gpt-4o-mini.baseUrl=${fake.url}/v1`,
      `openai-gpt-4o-mini-2.baseUrl=${fake.url}/v1`,
    ])
    expect(outcomes(results)).toEqual({
      'promptfoo › arithmetic (What is 2+2?)': true,
      'promptfoo › capital (Capital of France?)': true,
      'promptfoo › exact answer (Largest planet?)': false,
      'promptfoo › half right (Color of the sky?)': true,
      // promptfoo's python check passes ('C' in "100 C"); it is reported, not run.
      'promptfoo › python check (Boiling point of water?)': true,
    })
    expect(results.suites[0]?.cases[0]?.tags).toEqual(['category=math'])
  })

  it('json-jsonl: JSON and JSONL test files, vars from text and JSON files, list vars crossed', async () => {
    const fake = await openai((p) => {
      if (p.includes('Who wrote it?')) return 'Jane Austen'
      if (p.includes('When?')) return '1813'
      if (p.includes('Where?')) return 'England'
      if (p.includes('Title?')) return 'Pride and Prejudice'
      return 'Romance'
    })
    const { dir, report } = await imported('json-jsonl')
    expect(report.findings).toEqual([])
    const results = await runImported(dir, KEYS, [`openai-gpt-4o-mini.baseUrl=${fake.url}/v1`])
    expect(outcomes(results)).toEqual({
      'promptfoo › context from a text file (Who wrote it?)': true,
      'promptfoo › two questions from a list var (When?)': true,
      'promptfoo › two questions from a list var (Where?)': true,
      'promptfoo › jsonl starts-with (Title?)': true,
      'promptfoo › jsonl fails (Genre?)': false,
    })
    const first = promptText(fake.requests[0]?.body as Record<string, unknown>)
    expect(first).toContain('a novel by Jane Austen')
    expect(first).toContain('Facts: {"author":"Jane Austen","year":1813}')
  })

  it('default-test: suite vars, templated assertions per case, a default threshold', async () => {
    const fake = await openai((p) => {
      if (p.includes('"Hello"')) return 'Bonjour'
      if (p.includes('"Thanks"')) return 'Merci, sorry' // 1 of 2 ≥ 0.5
      if (p.includes('"Cat"')) return 'Sorry, le chien' // 0 of 2
      return p.includes('German') ? 'Hund' : 'wrong language'
    })
    const { dir } = await imported('default-test')
    const results = await runImported(dir, KEYS, [`openai-gpt-4o-mini.baseUrl=${fake.url}/v1`])
    expect(outcomes(results)).toEqual({
      'promptfoo › hello in french': true,
      'promptfoo › apology is half a pass': true,
      'promptfoo › wrong word fails': false,
      'promptfoo › german override': true,
    })
    expect(results.suites[0]?.cases.at(-1)?.tags).toEqual(['tier=smoke'])
  })

  it('nunjucks-filters: translated filters and tags render as nunjucks did (echo provider)', async () => {
    const { dir, report } = await imported('nunjucks-filters')
    const results = await runImported(dir, {})
    expect(outcomes(results)).toEqual({
      'promptfoo[report] › all filters': true,
      // The macro file keeps its untranslatable parts as literal text: NAME=… is not in it.
      'promptfoo[macro] › all filters': false,
    })
    expect(report.findings.every((f) => f.file === 'prompts/macro.txt')).toBe(true)
  })

  it('http-provider: url and headers from env, a templated body, transformResponse as output', async () => {
    const seen: { auth?: string; body: unknown }[] = []
    const server = createServer((req, res) => {
      void readBody(req).then((body) => {
        const parsed = JSON.parse(body) as { query: string; user: string }
        seen.push({ auth: req.headers.authorization, body: parsed })
        const answer = parsed.query.includes('ping') ? `pong for ${parsed.user}` : 'other'
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify({ data: { answer } }))
      })
    })
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    const address = server.address() as { port: number }
    try {
      const { dir, report } = await imported('http-provider')
      expect(report.findings).toEqual([])
      const results = await runImported(dir, {
        API_URL: `http://127.0.0.1:${address.port}`,
        API_TOKEN: 'tok',
      })
      expect(outcomes(results)).toEqual({
        'promptfoo › answered': true,
        'promptfoo › anonymous': true, // default("anon")
        'promptfoo › wrong': false,
      })
      expect(seen[0]).toEqual({
        auth: 'Bearer tok',
        body: { query: 'Question: ping', user: 'ada' },
      })
    } finally {
      server.close()
    }
  })

  it('exec-scripts: exec:, Python and JavaScript providers through shims, as a matrix', async () => {
    const { dir, report } = await imported('exec-scripts')
    expect(report.findings.map((f) => f.kind)).toEqual(['changed', 'changed', 'changed'])
    const results = await runImported(dir, {})
    const expected = (variant: string) => ({
      [`promptfoo[${variant}] › palindrome`]: true,
      [`promptfoo[${variant}] › word`]: true,
      [`promptfoo[${variant}] › impossible`]: false,
    })
    expect(outcomes(results)).toEqual({
      ...expected('exec-reverse'),
      ...expected('python-reverse'),
      ...expected('js-reverse'),
    })
    const outputs = results.suites.map((s) => s.cases[1]?.samples[0]?.output)
    expect(outputs).toEqual(['cba.', 'cba!', 'cba?'])
  })

  it('assert-sets: a set without threshold is flattened, one with a threshold is reported', async () => {
    const fake = await openai((p) => (p.includes('eval(x)') ? 'eval is DANGEROUS, fix it' : 'fine'))
    const { dir, report } = await imported('assert-sets')
    expect(report.findings.map((f) => `${f.line}: ${f.feature}`)).toEqual([
      '30: assert-set with threshold',
    ])
    const results = await runImported(dir, KEYS, [`openai-gpt-4o-mini.baseUrl=${fake.url}/v1`])
    expect(outcomes(results)).toEqual({
      'promptfoo › set passes': true,
      'promptfoo › set fails': false,
      // promptfoo: the set scores 0.5 ≥ its threshold 0.5, and `contains fine` passes.
      'promptfoo › set with threshold': true,
    })
    const weights = results.suites[0]?.cases[0]?.samples[0]?.grades.map((g) => g.weight)
    expect(weights).toEqual([1, 1, 1])
  })

  it('js-python-asserts: inline, body and file javascript run; python is reported', async () => {
    const fake = await openai((p) =>
      String(
        p
          .replace(/^[\s\S]*words in: /, '')
          .trim()
          .split(' ').length,
      ),
    )
    const { dir, report } = await imported('js-python-asserts')
    expect(report.findings.map((f) => `${f.line}: ${f.feature}`)).toEqual([
      '34: assert type "python"',
      '36: assert type "python"',
    ])
    const results = await runImported(dir, KEYS, [`openai-gpt-4o-mini.baseUrl=${fake.url}/v1`])
    expect(outcomes(results)).toEqual({
      'promptfoo › expression': true,
      'promptfoo › function body with score': true,
      'promptfoo › file check and negation': true,
      'promptfoo › javascript score threshold': false, // 5 / 10 < 0.6
      'promptfoo › python asserts': true, // promptfoo's python checks pass on "2" too
    })
  })

  it('matrix: globbed prompt files (one split at ---) × two providers as variants', async () => {
    const oa = await openai(() => 'Tides come from the moon')
    const an = await anthropic((p) =>
      p.includes('child') ? 'The moon pulls the sea' : 'Tides: gravity',
    )
    const { dir, report } = await imported('matrix')
    expect(report.findings).toEqual([])
    const results = await runImported(dir, KEYS, [
      `openai-gpt-4o-mini.baseUrl=${oa.url}/v1`,
      `anthropic-claude-3-5-haiku-20241022.baseUrl=${an.url}`,
    ])
    const o = 'openai-gpt-4o-mini'
    const a = 'anthropic-claude-3-5-haiku-20241022'
    expect(outcomes(results)).toEqual({
      [`promptfoo[pair-1@${o}] › mentions the topic`]: true,
      [`promptfoo[pair-1@${a}] › mentions the topic`]: false,
      [`promptfoo[pair-2@${o}] › mentions the topic`]: true,
      [`promptfoo[pair-2@${a}] › mentions the topic`]: true,
      [`promptfoo[short@${o}] › mentions the topic`]: true,
      [`promptfoo[short@${a}] › mentions the topic`]: true,
    })
  })

  it('model-graded: a per-test grader, the default grader, llm-rubric, factuality, g-eval, similar', async () => {
    const fake = await openai((p, request) => {
      const judge = judged(request, {
        rubric_grade: { reason: 'names Paris', pass: true, score: 0.9 },
        factuality: { reason: 'says Milan', category: 'D' },
        criteria_scores: {
          criteria: { reason: 'correct', score: 8 },
          overall: { reason: 'good', score: 8 },
        },
      })
      if (judge !== undefined) return judge
      if (p.includes('France')) return 'Paris'
      if (p.includes('Italy')) return 'Milan is the capital of Italy'
      return 'Madrid is the capital of Spain'
    })
    const { dir, report } = await imported('model-graded')
    const results = await runImported(dir, KEYS, [
      `openai-gpt-4o-mini.baseUrl=${fake.url}/v1`,
      `openai-gpt-4o-mini-2.baseUrl=${fake.url}/v1`,
      `grader.baseUrl=${fake.url}/v1`,
    ])
    expect(outcomes(results)).toEqual({
      'promptfoo › rubric passes': true,
      'promptfoo › factuality': false, // category D
      'promptfoo › g-eval and similarity': true,
    })
    expect(report.findings.find((f) => f.feature === 'default grader')?.kind).toBe('changed')
    const rubric = fake.requests.find((r) => JSON.stringify(r.body).includes('rubric_grade'))
    expect(promptText(rubric?.body as Record<string, unknown>)).toContain(
      'Names Paris as the capital',
    )
  })
})

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')))
  })
}

it('writes prompts as liquid files', async () => {
  const { dir } = await imported('openai-basic')
  expect(readFileSync(join(dir, 'prompts/prompt.liquid'), 'utf8')).toBe(
    'Greet {{ name | upcase }} in {{ language | default: "English" }}.',
  )
})
