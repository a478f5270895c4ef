import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { GateVerdict } from '../../src/contracts/gate.js'
import { startFakeAnthropic } from '../fakes/anthropic.js'
import type { FakeServer } from '../fakes/server.js'
import { runCli } from '../helpers/cli.js'
import { tempProject, writeFiles } from '../helpers/project.js'

/*
 * The pull-request gate end to end: the built CLI, a git repository, an anthropic provider on a
 * loopback fake. The main branch records a baseline; a change on a feature branch doubles the
 * output tokens, which the cost gate must catch unless approved.
 */

const servers: FakeServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const env = { ANTHROPIC_API_KEY: 'test-key' }
let outputTokens = 200

async function fake(): Promise<FakeServer> {
  const server = await startFakeAnthropic({
    reply: () => ({ kind: 'text', text: 'LGTM', usage: { input: 100, output: outputTokens } }),
  })
  servers.push(server)
  return server
}

function project(url: string, gate = ''): string {
  const cases = Array.from({ length: 10 }, (_, i) => `      - { id: c${i}, vars: { n: ${i} } }`)
  const dir = tempProject({
    'shipgate.yaml': `version: 1
providers:
  haiku: { type: anthropic, model: claude-3-5-haiku-20241022, baseUrl: ${url} }
prompts:
  p: { user: "Review change {{ n }}" }
suites:
  review:
    prompt: p
    provider: haiku
    assert: [{ type: contains, value: LGTM }]
    cases:
${cases.join('\n')}
${gate}`,
    '.gitignore': '.shipgate/\n',
  })
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' })
  git('init', '-q', '-b', 'main')
  git(
    '-c',
    'user.email=t@example.com',
    '-c',
    'user.name=t',
    'commit',
    '-q',
    '--allow-empty',
    '-m',
    'base',
  )
  return dir
}

function checkout(dir: string, branch: string): void {
  execFileSync('git', ['checkout', '-q', '-b', branch], { cwd: dir, stdio: 'ignore' })
}

async function gate(dir: string, args: string[] = [], extra: Record<string, string> = {}) {
  const run = await runCli(['gate', '--json', ...args], { cwd: dir, env: { ...env, ...extra } })
  const verdict = run.stdout === '' ? undefined : (JSON.parse(run.stdout) as GateVerdict)
  return { ...run, verdict, cost: verdict?.checks.find((c) => c.id === 'cost-increase') }
}

async function evalOk(dir: string) {
  const run = await runCli(['eval', '--no-progress'], { cwd: dir, env })
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)
}

describe('shipgate gate', () => {
  it('skips the baseline checks without a baseline, and passes', async () => {
    const server = await fake()
    outputTokens = 200
    const dir = project(server.url)
    await evalOk(dir)
    const { code, cost, verdict } = await gate(dir)
    expect(code).toBe(0)
    expect(verdict?.baseline).toBeNull()
    expect(cost).toMatchObject({
      status: 'skipped',
      message:
        'skipped: no baseline: no completed run of these suites on branch "main" in the store',
    })
    expect(verdict?.pass).toBe(true)
  })

  it('fails a doubling of output tokens on cost, and each approval turns it into approved', async () => {
    const server = await fake()
    const dir = project(server.url, 'gate: { approvals: { labels: { cost: cost-approved } } }\n')
    outputTokens = 200
    await evalOk(dir) // the baseline, on main
    checkout(dir, 'feature')
    outputTokens = 400
    await evalOk(dir)

    const failed = await gate(dir)
    expect(failed.code).toBe(1)
    expect(failed.verdict?.baseline).toMatchObject({ source: 'store', branch: 'main' })
    // claude-3-5-haiku: $0.80 / $4 per million tokens. 100 in + 200 out = $0.00088 a case;
    // with 400 out, $0.00168: +90.9%.
    expect(failed.cost).toMatchObject({ status: 'failed', approval: 'cost', limit: 20 })
    expect(failed.cost?.actual).toBeCloseTo((0.00168 / 0.00088 - 1) * 100, 9)
    expect(failed.cost?.message).toBe('cost per call $0.000880 → $0.00168 (+90.9%; limit +20%)')
    const text = await runCli(['gate'], { cwd: dir, env })
    expect(text.stdout).toMatch(
      /FAIL\s+cost increase vs main \(\S+\)\s+cost per call \$0\.000880 → \$0\.00168 \(\+90\.9%; limit \+20%\)/,
    )
    expect(text.stdout).toContain('gate FAILED: 1 failed')

    const flag = await gate(dir, ['--approve', 'cost'])
    expect(flag.code).toBe(0)
    expect(flag.cost?.status).toBe('approved')
    expect(flag.verdict?.approvals).toEqual([{ key: 'cost', from: '--approve' }])

    const envApproval = await gate(dir, [], { SHIPGATE_APPROVE: 'cost' })
    expect(envApproval.code).toBe(0)
    expect(envApproval.cost?.status).toBe('approved')

    const event = join(dir, 'event.json')
    writeFileSync(
      event,
      JSON.stringify({ pull_request: { number: 7, labels: [{ name: 'cost-approved' }] } }),
    )
    const label = await gate(dir, [], { GITHUB_EVENT_PATH: event })
    expect(label.code).toBe(0)
    expect(label.cost?.status).toBe('approved')
    expect(label.verdict?.approvals).toEqual([{ key: 'cost', from: 'label "cost-approved"' }])

    writeFileSync(
      event,
      JSON.stringify({ pull_request: { number: 7, labels: [{ name: 'other' }] } }),
    )
    expect((await gate(dir, [], { GITHUB_EVENT_PATH: event })).code).toBe(1)
  })

  it('gates a results file against a baseline file', async () => {
    const server = await fake()
    const dir = project(server.url)
    outputTokens = 200
    expect(
      (await runCli(['eval', '--no-progress', '-o', 'base.json'], { cwd: dir, env })).code,
    ).toBe(0)
    outputTokens = 210
    const second = await runCli(['eval', '--no-progress', '-o', 'pr.json'], { cwd: dir, env })
    expect(second.stderr).toBe('')
    expect(second.code).toBe(0)
    const { code, verdict, cost } = await gate(dir, [
      '--results',
      'pr.json',
      '--baseline',
      'base.json',
    ])
    expect(code).toBe(0)
    expect(verdict?.baseline).toMatchObject({ source: 'file', file: 'base.json' })
    expect(cost?.status).toBe('passed')
    expect(verdict?.suites[0]).toMatchObject({ suite: 'review', pairedCases: 10 })
  })
})

describe('shipgate compare and shipgate cost', () => {
  it('lists broken and fixed cases with paired deltas, and projects the daily cost', async () => {
    let broken = new Set<number>()
    const server = await startFakeAnthropic({
      reply: ({ body }) => {
        const n = Number(/change (\d+)/.exec(JSON.stringify(body.messages))?.[1])
        return {
          kind: 'text',
          text: broken.has(n) ? 'needs work' : 'LGTM',
          usage: { input: 100, output: outputTokens },
        }
      },
    })
    servers.push(server)
    const dir = project(server.url, 'traffic: { requestsPerDay: 10000 }\n')
    outputTokens = 200
    broken = new Set([9])
    await runCli(['eval', '--no-progress', '-o', 'a.json'], { cwd: dir, env })
    outputTokens = 300
    broken = new Set([1, 2])
    await runCli(['eval', '--no-progress', '-o', 'b.json'], { cwd: dir, env })

    const run = await runCli(['compare', 'a.json', 'b.json', '--json'], { cwd: dir, env })
    expect(run.code).toBe(0)
    const c = JSON.parse(run.stdout) as {
      suites: { cases: { id: string; change: string }[]; delta: { pairedCases: number } }[]
      costChangePct: number
    }
    const changes = Object.fromEntries(c.suites[0]!.cases.map((x) => [x.id, x.change]))
    expect(changes).toMatchObject({ c1: 'broken', c2: 'broken', c9: 'fixed', c0: 'unchanged' })
    expect(c.suites[0]?.delta.pairedCases).toBe(10)
    // 100 in + 300 out = $0.00128 a case against $0.00088: +45.45%.
    expect(c.costChangePct).toBeCloseTo((0.00128 / 0.00088 - 1) * 100, 9)
    const text = await runCli(['compare', 'a.json', 'b.json'], { cwd: dir, env })
    expect(text.stdout).toContain('broken in review:\n  c1  1.00 → 0.00\n  c2  1.00 → 0.00')
    expect(text.stdout).toContain('fixed in review:\n  c9  0.00 → 1.00')

    const cost = await runCli(['cost', '--results', 'b.json', '--baseline', 'a.json'], {
      cwd: dir,
      env,
    })
    expect(cost.code).toBe(0)
    expect(cost.stdout).toMatch(/all\s+\$0\.00088\s+\$0\.0013\s+\+45\.5%/)
    expect(cost.stdout).toContain(
      'projected in production at 10,000 requests a day: $8.80 → $12.80 a day (+$4.00 a day)',
    )
  })
})

describe('shipgate ci', () => {
  it('runs eval, gate and the GitHub reports in one command', async () => {
    const server = await fake()
    const dir = project(server.url)
    outputTokens = 200
    await evalOk(dir)
    checkout(dir, 'feature')
    outputTokens = 400
    const summary = join(dir, 'summary.md')
    const run = await runCli(
      [
        'ci',
        '--no-progress',
        '--verdict',
        'verdict.json',
        '--comment',
        'comment.md',
        '-o',
        'junit.xml',
      ],
      { cwd: dir, env: { ...env, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } },
    )
    expect(run.stderr).toBe('')
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('gate FAILED: 1 failed')
    expect(run.stdout).toMatch(
      /^::error title=shipgate%3A cost increase vs main[^\n]*::cost per call \$0\.000880 → \$0\.00168 \(\+90\.9%25/m,
    )
    const verdict = JSON.parse(readFileSync(join(dir, 'verdict.json'), 'utf8')) as GateVerdict
    expect(verdict.pass).toBe(false)
    expect(readFileSync(join(dir, 'comment.md'), 'utf8')).toMatch(/^<!-- shipgate:pr-comment -->/)
    expect(readFileSync(summary, 'utf8')).toContain('cost increase vs main')
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain('<testsuite name="review"')

    const approved = await runCli(['ci', '--no-progress', '--approve', 'cost'], { cwd: dir, env })
    expect(approved.code).toBe(0)
    expect(approved.stdout).toContain('gate passed: 0 failed, 1 approved')
  })
})

describe('the rest of the checklist', () => {
  it('gates coverage and SARIF findings from the files other tools wrote', async () => {
    const server = await fake()
    outputTokens = 200
    const dir = project(
      server.url,
      `gate:
  coverage: { file: coverage/lcov.info, min: 80 }
  sarif: [{ file: reports/lint.sarif, name: lint, maxErrors: 0 }]
`,
    )
    await evalOk(dir)
    const missing = await gate(dir)
    expect(missing.code).toBe(1)
    expect(missing.verdict?.checks.find((c) => c.id === 'coverage')?.message).toBe(
      'cannot read coverage/lcov.info: ENOENT',
    )
    writeFiles(dir, {
      'coverage/lcov.info': 'SF:a.ts\nLF:100\nLH:79\nend_of_record\n',
      'reports/lint.sarif': JSON.stringify({ version: '2.1.0', runs: [{ results: [] }] }),
    })
    const low = await gate(dir)
    expect(low.code).toBe(1)
    expect(low.verdict?.checks.filter((c) => c.kind === 'external')).toMatchObject([
      { id: 'coverage', status: 'failed', actual: 79 },
      { id: 'sarif.lint', status: 'passed' },
    ])
    expect((await gate(dir, ['--approve', 'coverage'])).code).toBe(0)
  })
})

describe('the monthly budget', () => {
  it('fails the gate when the month is over gate.budget, with the figures; warn mode passes', async () => {
    const server = await fake()
    outputTokens = 200
    // 10 cases at $0.00088: $0.0088 a run, already over a budget of a tenth of a cent.
    const over = project(server.url, 'gate: { budget: { monthlyUsd: 0.001 } }\n')
    await evalOk(over)
    const failed = await gate(over)
    expect(failed.code).toBe(1)
    const check = failed.verdict?.checks.find((c) => c.id === 'budget')
    expect(check).toMatchObject({ status: 'failed', kind: 'budget', limit: 0.001 })
    expect(check?.message).toMatch(
      /^spent \$0\.01 in 1 run \(this one \$0\.01\) by day [\d.]+ of \d\d; projected \$[\d.]+ by month end.*: already over the budget of \$0\.00$/,
    )
    expect(failed.verdict?.budget?.spentUsd).toBeCloseTo(0.0088, 10)
    const text = await runCli(['gate'], { cwd: over, env })
    expect(text.stdout).toMatch(/FAIL\s+monthly CI budget \(\d{4}-\d\d\)\s+spent \$0\.01/)

    const warned = project(server.url, 'gate: { budget: { monthlyUsd: 0.001, onExceed: warn } }\n')
    await evalOk(warned)
    const warn = await runCli(['gate'], { cwd: warned, env })
    expect(warn.code).toBe(0)
    expect(warn.stdout).toMatch(/WARN\s+monthly CI budget/)
    expect(warn.stdout).toContain('gate passed: 0 failed, 1 warned')

    const under = project(server.url, 'gate: { budget: { monthlyUsd: 1000 } }\n')
    await evalOk(under)
    const passed = await gate(under)
    expect(passed.code).toBe(0)
    expect(passed.verdict?.checks.find((c) => c.id === 'budget')?.status).toBe('passed')
  })

  it('cost --by suite --json: the bill of the stored runs by suite', async () => {
    const server = await fake()
    outputTokens = 200
    const dir = project(server.url)
    await evalOk(dir)
    await evalOk(dir)
    const run = await runCli(['cost', '--by', 'suite', '--json'], { cwd: dir, env })
    expect(run.code).toBe(0)
    const bill = JSON.parse(run.stdout) as {
      rows: { key: string; runs: number; spentUsd: number }[]
    }
    expect(bill.rows).toHaveLength(1)
    expect(bill.rows[0]).toMatchObject({ key: 'review', runs: 2 })
    expect(bill.rows[0]?.spentUsd).toBeCloseTo(2 * 10 * 0.00088, 10)
    const text = await runCli(['cost', '--by', 'suite'], { cwd: dir, env })
    expect(text.stdout).toMatch(/^CI spend by suite\n/)
  })
})
