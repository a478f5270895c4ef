import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ShipgateError } from '../../../src/errors.js'
import { silentLogger } from '../../../src/logger.js'
import { openGrader, type Grader } from '../../../src/workflows/grade/index.js'
import { startFakeOpenAI } from '../../fakes/openai.js'
import type { FakeServer } from '../../fakes/server.js'
import { tempProject } from '../../helpers/project.js'

/*
 * Grading outside a run: assertions given in code and a suite's cases, prepared and combined as
 * eval does, with the config's judge (the official OpenAI SDK against a loopback fake) through
 * the config's cassettes.
 */

const open: Grader[] = []
const servers: FakeServer[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((g) => g.close()))
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const SECRET = 'tok-0123456789abcdef'

/** A project with a judge at `judgeUrl` and a suite of three cases. */
function project(judgeUrl = 'http://127.0.0.1:9', cassettes = 'record-missing') {
  return tempProject({
    'shipgate.yaml': `version: 1
providers:
  bot: { type: mock }
  grader: { type: openai, model: gpt-4o-mini, baseUrl: "${judgeUrl}/v1" }
  second: { type: openai, model: gpt-4o, baseUrl: "${judgeUrl}/v1" }
judge: grader
cassettes: { mode: ${cassettes} }
prompts:
  ask: { user: "{{ greeting }}, {{ name }}" }
suites:
  hello:
    prompt: ask
    provider: bot
    vars: { greeting: Hello }
    assert:
      - { type: icontains, value: hello }
    cases:
      - { id: ada, vars: { name: Ada }, tags: [smoke], assert: [{ type: contains, value: Ada }] }
      - id: bob
        vars: { name: Bob }
        threshold: 0.5
        assert: [{ type: contains, value: Bob, weight: 3 }]
      - { id: eve, vars: { name: Eve }, assert: [{ type: contains, value: "\${TOKEN}" }] }
`,
  })
}

async function grader(dir: string, mode?: 'replay' | 'record-missing') {
  const opened = await openGrader({
    cwd: dir,
    env: { OPENAI_API_KEY: 'sk-test-grader', TOKEN: SECRET },
    logger: silentLogger,
    ...(mode === undefined ? {} : { cassettes: { mode } }),
  })
  open.push(opened)
  return opened
}

async function fakeJudge() {
  const fake = await startFakeOpenAI({
    reply: () => ({
      kind: 'text',
      text: JSON.stringify({ reason: 'Warm and clear.', pass: true, score: 0.8 }),
    }),
  })
  servers.push(fake)
  return fake
}

describe('Grader.check', () => {
  it('grades deterministic assertions, negated ones, values and tool calls', async () => {
    const g = await grader(project())
    expect(await g.check('Hello Ada', { type: 'contains', value: 'Ada' })).toMatchObject({
      type: 'contains',
      pass: true,
      score: 1,
      weight: 1,
    })
    const failed = await g.check('Hello Ada', { type: 'not-contains', value: 'Ada' })
    expect(failed).toMatchObject({ pass: false, reason: 'output contains "Ada"' })
    expect((await g.check({ a: 1 }, { type: 'is-json' })).pass).toBe(true)
    const answer = { output: 'ok', toolCalls: [{ name: 'search', arguments: { q: 'x' } }] }
    const tools = "context.toolCalls.map((c) => c.name).join() === 'search'"
    expect((await g.check(answer, { type: 'javascript', value: tools })).pass).toBe(true)
    expect((await g.check('ok', { type: 'javascript', value: tools })).pass).toBe(false)
    expect((await g.check(answer, { type: 'tool-call', value: 'search' })).pass).toBe(true)
    expect((await g.check(answer, { type: 'tool-call', value: 'lookup' })).pass).toBe(false)
  })

  it("applies the assertion's own transform before grading", async () => {
    const g = await grader(project())
    const upper = { type: 'equals', value: 'HELLO ADA', transform: 'output.toUpperCase()' }
    expect((await g.check('Hello Ada', upper)).pass).toBe(true)
    expect((await g.check('Hello Bo', upper)).pass).toBe(false)
  })

  it('marks a check that throws as undecided, not as a failure', async () => {
    const g = await grader(project())
    const grade = await g.check('x', { type: 'javascript', value: 'throw new Error("boom")' })
    expect(grade).toMatchObject({ pass: false, error: true })
    expect(grade.reason).toContain('boom')
  })

  it('records a judged check through the cassettes and replays it with the judge gone', async () => {
    const fake = await fakeJudge()
    const dir = project(fake.url)
    const rubric = { type: 'llm-rubric', value: 'Greets the user', threshold: 0.5 }
    const recorded = await (await grader(dir)).check('Hello Ada', rubric)
    expect(recorded).toMatchObject({ pass: true, score: 0.8, reason: 'Warm and clear.' })
    await open.splice(0)[0]!.close() // writes the recording
    await fake.close()
    expect(fake.requests).toHaveLength(1)
    expect(readdirSync(join(dir, 'cassettes'), { recursive: true }).length).toBeGreaterThan(0)

    const replayed = await (await grader(dir, 'replay')).check('Hello Ada', rubric)
    expect(replayed).toMatchObject({ pass: true, score: 0.8, reason: 'Warm and clear.' })
    const missed = await (await grader(dir, 'replay')).check('Bye', rubric)
    expect(missed).toMatchObject({ pass: false, error: true })
    expect(missed.reason).toContain('cassette miss')
  })

  it('opens a judge first named after others were opened', async () => {
    const fake = await fakeJudge()
    const g = await grader(project(fake.url))
    const rubric = { type: 'llm-rubric', value: 'Greets the user' }
    expect((await g.check('Hello', rubric)).pass).toBe(true)
    expect((await g.check('Hello', { ...rubric, provider: 'second' })).pass).toBe(true)
    const models = fake.requests.map((r) => (r.body as { model: string }).model)
    expect(models).toEqual(['gpt-4o-mini', 'gpt-4o'])
  })

  it('refuses an unknown type with the closest one, and an invalid value', async () => {
    const g = await grader(project())
    const unknown = g.check('x', { type: 'contians', value: 'x' })
    await expect(unknown).rejects.toThrow(ShipgateError)
    await expect(unknown).rejects.toMatchObject({ code: 'usage', hint: 'did you mean "contains"?' })
    const regex = g.check('x', { type: 'regex', value: '(' })
    await expect(regex).rejects.toMatchObject({ code: 'config' })
    await expect(regex).rejects.toThrow(/^<assertion in code> at regex: .*regex/)
    await expect(
      g.check('x', { type: 'contains', value: 'x', wieght: 2 } as never),
    ).rejects.toThrow(/invalid contains assertion/)
    await expect(g.check(undefined, { type: 'is-json' })).rejects.toThrow(/cannot grade undefined/)
  })
})

describe('Grader.suiteCases and gradeCase', () => {
  it('plans the cases as eval does: ids, merged vars, rendered prompt, assertions', async () => {
    const g = await grader(project())
    const cases = await g.suiteCases('hello')
    expect(cases.map((c) => c.id)).toEqual(['ada', 'bob', 'eve'])
    expect(cases[0]).toMatchObject({
      suite: 'hello',
      vars: { greeting: 'Hello', name: 'Ada' },
      tags: ['smoke'],
      prompt: [{ role: 'user', content: 'Hello, Ada' }],
      assertions: [
        { type: 'icontains', weight: 1 },
        { type: 'contains', weight: 1 },
      ],
    })
    expect(cases[1]?.threshold).toBe(0.5)
    expect((await g.suiteCases('hello', { tags: ['smoke'] })).map((c) => c.id)).toEqual(['ada'])
    await expect(g.suiteCases('nope')).rejects.toThrow(/unknown suite "nope"/)
  })

  it('combines a case’s checks with their weights and threshold, as eval does', async () => {
    const g = await grader(project())
    const [ada, bob, eve] = await g.suiteCases('hello')
    expect((await g.gradeCase(ada!, 'Hello Ada')).pass).toBe(true)
    const missing = await g.gradeCase(ada!, 'Hello there')
    expect(missing).toMatchObject({ pass: false, score: 0.5 })
    // Bob's own check weighs 3 and the case passes on a score of 0.5.
    expect(await g.gradeCase(bob!, 'Bob!')).toMatchObject({ pass: true, score: 0.75 })
    expect(await g.gradeCase(bob!, 'Hi')).toMatchObject({ pass: false, score: 0 })
    // The config's secrets never reach a reason.
    const reasons = (await g.gradeCase(eve!, 'Hello')).grades.map((x) => x.reason).join('\n')
    expect(reasons).not.toContain(SECRET)
    expect(reasons).toContain('[REDACTED]')
    await expect(g.gradeCase({ ...ada! }, 'Hello Ada')).rejects.toThrow(/was not planned/)
  })

  it('is unusable once closed', async () => {
    const g = await grader(project())
    await g.close()
    await expect(g.check('x', { type: 'is-json' })).rejects.toThrow(/closed/)
  })
})
