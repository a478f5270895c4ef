import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { startFakeOpenAI, type OpenAIReplyRequest } from '../fakes/openai.js'
import type { FakeReply } from '../fakes/server.js'

/*
 * shipgate/vitest from the outside: Vitest runs the fixture project's test file
 * (test/fixtures/vitest-project/support.eval.ts) in a child process, with `shipgate/vitest`
 * resolved to the built dist/ through the package's export map. In replay, the judged tests run
 * from the committed cassettes with no key and nothing listening at the judge's URL.
 *
 * Re-recording the committed cassettes (after changing the fixture's tests or the judge prompt):
 *   SHIPGATE_RECORD_FIXTURE=1 npx vitest run test/e2e/vitest-matchers.test.ts
 * records them against the loopback fake judge below, then replays them.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const FIXTURE = join(ROOT, 'test/fixtures/vitest-project')
const VITEST = join(ROOT, 'node_modules/vitest/vitest.mjs')
const RECORD_COMMITTED = process.env.SHIPGATE_RECORD_FIXTURE === '1'

const temp: string[] = []
afterAll(() => {
  for (const dir of temp.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** One test of the JSON reporter's output. */
interface TestResult {
  readonly fullName: string
  readonly status: string
  readonly failureMessages: readonly string[]
}

/** Runs the fixture's tests; the per-test results and the run's exit code. */
async function runFixture(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-vitest-e2e-'))
  temp.push(dir)
  const out = join(dir, 'report.json')
  const args = [VITEST, 'run', '--root', FIXTURE, '--config', join(FIXTURE, 'vitest.config.ts')]
  args.push('--reporter=json', `--outputFile=${out}`)
  // Nothing of the caller's environment that could reach a model: no keys, no judge URL.
  const base = { PATH: process.env.PATH ?? '', HOME: dir, NO_COLOR: '1' }
  const child = spawn(process.execPath, args, { cwd: FIXTURE, env: { ...base, ...env } })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  child.stdout.resume()
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  const report = JSON.parse(readFileSync(out, 'utf8')) as {
    testResults: { assertionResults: TestResult[] }[]
  }
  const tests = new Map(
    report.testResults.flatMap((f) => f.assertionResults).map((t) => [t.fullName, t]),
  )
  return { code, tests, stderr }
}

/** Which tests passed and which failed, by full name. */
function statuses(tests: ReadonlyMap<string, TestResult>): Record<string, string> {
  return Object.fromEntries([...tests].map(([name, t]) => [name, t.status]))
}

const EXPECTED = {
  'deterministic contains passes': 'passed',
  'deterministic contains fails': 'failed',
  'deterministic not.toPass passes': 'passed',
  'deterministic is-json on a value passes': 'passed',
  'deterministic tool calls pass': 'passed',
  'deterministic tool calls fail': 'failed',
  'judged in replay polite reply passes the rubric': 'passed',
  'judged in replay curt reply fails the rubric': 'failed',
  'judged in replay curt reply not.toPass passes': 'passed',
  'judged in replay an unrecorded judge call fails': 'failed',
  'suite cases are planned as eval plans them': 'passed',
  "suite cases case 'refund'": 'passed',
  "suite cases case 'password'": 'passed',
  "suite cases case 'cancel'": 'failed',
}

const RUDE = 'The reply is curt and dismissive, with no courtesy toward the customer.'
const KIND = 'The reply thanks the customer and offers help courteously.'

/** The fake judge: polite outputs (thanks, help, please) pass the rubric, others fail. */
function judgeReply({ body }: OpenAIReplyRequest): FakeReply {
  const messages = (body as { messages?: { content?: string }[] }).messages ?? []
  const text = messages.at(-1)?.content ?? ''
  const output = /<output>\n([\s\S]*?)\n<\/output>/.exec(text)?.[1] ?? ''
  const polite = /thank|happy to help|please/i.test(output)
  const grade = polite
    ? { reason: KIND, pass: true, score: 0.9 }
    : { reason: RUDE, pass: false, score: 0.2 }
  return { kind: 'text', text: JSON.stringify(grade), usage: { input: 200, output: 30 } }
}

/** Records the fixture's judge calls against the fake; into `cassettes` (a directory). */
async function record(cassettes: string) {
  const fake = await startFakeOpenAI({ reply: judgeReply })
  try {
    rmSync(cassettes, { recursive: true, force: true })
    const run = await runFixture({
      SHIPGATE_CASSETTE_MODE: 'record',
      JUDGE_URL: fake.url,
      OPENAI_API_KEY: 'sk-test-fixture-recording-key',
      FIXTURE_CASSETTES: cassettes,
    })
    return { run, judged: fake.requests.length }
  } finally {
    await fake.close()
  }
}

describe('shipgate/vitest in a project of its own', () => {
  it('records the judge calls against a loopback judge, then replays them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-vitest-cassettes-'))
    temp.push(dir)
    const cassettes = RECORD_COMMITTED ? join(FIXTURE, 'cassettes') : join(dir, 'cassettes')
    const { run, judged } = await record(cassettes)
    // In record mode the unrecorded-call test is skipped: everything else runs as in replay.
    const { 'judged in replay an unrecorded judge call fails': _, ...recorded } = EXPECTED
    expect(statuses(run.tests)).toEqual({
      ...recorded,
      'judged in replay an unrecorded judge call fails': 'skipped',
    })
    // Three rubric checks, and one per suite case; identical requests recorded once each.
    expect(judged).toBe(6)
    const files = readdirSync(cassettes, { recursive: true, withFileTypes: true })
    const recordings = files.filter((f) => f.isFile()).map((f) => join(f.parentPath, f.name))
    expect(recordings.length).toBeGreaterThan(0)
    for (const file of recordings) {
      expect(readFileSync(file, 'utf8')).not.toContain('sk-test-fixture-recording-key')
    }

    const replayed = await runFixture({ FIXTURE_CASSETTES: cassettes })
    expect(statuses(replayed.tests)).toEqual(EXPECTED)
  }, 120_000)

  it('passes and fails as expected in replay, from the committed cassettes, with no network', async () => {
    const { code, tests, stderr } = await runFixture({})
    expect(statuses(tests), stderr).toEqual(EXPECTED)
    expect(code).toBe(1)
    const failure = (name: string) => tests.get(name)?.failureMessages.join('\n') ?? ''

    expect(failure('deterministic contains fails')).toContain(
      'expected the output to pass contains',
    )
    expect(failure('deterministic contains fails')).toContain('output does not contain "refund"')
    expect(failure('deterministic tool calls fail')).toContain('called cancel_order')
    // The judge's reason, score and the assertion type, from the recorded answer.
    const rubric = failure('judged in replay curt reply fails the rubric')
    expect(rubric).toContain('expected the output to pass llm-rubric')
    expect(rubric).toContain(RUDE)
    expect(rubric).toContain('score 0.2')
    expect(rubric).toContain('Cancelled. Do not write again.')
    // A replay miss is loud, and it fails rather than counting as a verdict.
    const miss = failure('judged in replay an unrecorded judge call fails')
    expect(miss).toContain('llm-rubric could not decide')
    // toPassCase names every assertion of the case, passed and failed.
    const kase = failure("suite cases case 'cancel'")
    expect(kase).toContain('expected case support/cancel to pass')
    expect(kase).toMatch(/✗ llm-rubric: .*curt and dismissive/)
    expect(kase).toMatch(/✓ icontains: /)
  }, 120_000)

  it('types the matchers for a user compiling against the built declarations', async () => {
    // As a user's project sees the package: no source condition, so `shipgate/vitest` is
    // dist/vitest/index.d.ts, whose augmentation of Vitest's Assertion types toPass/toPassCase.
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-vitest-types-'))
    temp.push(dir)
    const compilerOptions = {
      ...{ target: 'ES2023', module: 'nodenext', moduleResolution: 'nodenext', strict: true },
      ...{ noEmit: true, skipLibCheck: true, types: ['node'] },
      typeRoots: [join(ROOT, 'node_modules/@types')],
    }
    const files = [join(FIXTURE, 'support.eval.ts')]
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files }))
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc')
    const run = promisify(execFile)(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')])
    await expect(run).resolves.toMatchObject({ stdout: '' })
  }, 120_000)
})
