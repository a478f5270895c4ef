import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import type { ResultsDocument } from '../../src/contracts/results.js'
import { openSqliteStore } from '../../src/stores/sqlite/index.js'
import { runCli, startCli, finished } from '../helpers/cli.js'
import { tempProject, writeFiles } from '../helpers/project.js'

/**
 * Resolves once the store at `file` holds at least `n` samples, read-only beside the writer
 * (SQLite in WAL mode), checking every 50 ms.
 */
async function storedSamples(file: string, n: number): Promise<void> {
  for (;;) {
    if (existsSync(file)) {
      const db = new Database(file, { readonly: true, fileMustExist: true })
      try {
        const row = db.prepare('select count(*) as n from case_results').get() as
          { n: number } | undefined
        if ((row?.n ?? 0) >= n) return
      } catch {
        // The schema is not there yet: the run is still starting.
      } finally {
        db.close()
      }
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string
}

describe('shipgate (built CLI)', () => {
  it('prints its version and help', async () => {
    const dir = tempProject({})
    const version = await runCli(['--version'], { cwd: dir })
    expect(version).toMatchObject({ code: 0, stdout: `${pkg.version}\n` })
    const help = await runCli(['--help'], { cwd: dir })
    expect(help.code).toBe(0)
    for (const command of ['init', 'eval', 'runs']) expect(help.stdout).toContain(command)
  })

  it('exits 2 on an unknown command or option', async () => {
    const dir = tempProject({})
    expect((await runCli(['evaluate'], { cwd: dir })).code).toBe(2)
    const bad = await runCli(['eval', '--repeat', 'zero'], { cwd: dir })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('expected a positive integer')
  })

  it('init writes a project whose eval passes offline', async () => {
    const dir = tempProject({})
    const init = await runCli(['init', 'proj'], { cwd: dir })
    expect(init.code).toBe(0)
    expect(init.stdout).toContain('created shipgate.yaml')
    // The form the README uses: shipgate is a dev dependency, run through npx.
    expect(init.stderr).toContain(`next: cd ${join(dir, 'proj')} && npx shipgate eval\n`)
    const project = join(dir, 'proj')
    const run = await runCli(['eval', '--no-progress'], { cwd: project })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/code-review\s+3\s+3\s+1\.00 \[0\.44, 1\.00\]/)
    expect(run.stdout).toContain('PASS')
    expect(existsSync(join(project, '.shipgate/shipgate.db'))).toBe(true)
    expect(readFileSync(join(project, '.gitignore'), 'utf8')).toContain('.shipgate/')
    const again = await runCli(['init', 'proj'], { cwd: dir })
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('--force')
  })

  it('exits 1 when a case breaks, naming the case and the reason', async () => {
    const dir = tempProject({})
    await runCli(['init'], { cwd: dir })
    const cases = join(dir, 'evals/code-review.yaml')
    writeFileSync(cases, readFileSync(cases, 'utf8').replace('value: xss', 'value: csrf'))
    const run = await runCli(['eval', '--no-progress'], { cwd: dir })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('✗ code-review › xss (evals/code-review.yaml:20)')
    expect(run.stdout).toContain('icontains: output does not contain "csrf"')
    expect(run.stdout).toContain('FAIL')
  })

  it('exits 2 on an unknown config key, naming file:line:column', async () => {
    const dir = tempProject({})
    await runCli(['init'], { cwd: dir })
    const config = join(dir, 'shipgate.yaml')
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace('    threshold: 1 ', '    treshold: 1 '),
    )
    const run = await runCli(['eval'], { cwd: dir })
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain('shipgate.yaml:29:5: unknown key "treshold" in suites.code-review')
    expect(run.stderr).toContain('hint: did you mean "threshold"?')
  })

  it('writes JSON, JUnit and markdown outputs, prints JSON with --json, and shows runs', async () => {
    const dir = tempProject({})
    await runCli(['init'], { cwd: dir })
    const run = await runCli(
      ['eval', '--json', '-o', 'out/results.json', '-o', 'out/junit.xml', '-o', 'out/summary.md'],
      { cwd: dir },
    )
    expect(run.code).toBe(0)
    const printed = JSON.parse(run.stdout) as ResultsDocument
    const written = JSON.parse(
      readFileSync(join(dir, 'out/results.json'), 'utf8'),
    ) as ResultsDocument
    expect(written).toEqual(printed)
    expect(written.schemaVersion).toBe(1)
    expect(written.run).toMatchObject({ status: 'completed', shipgateVersion: pkg.version })
    expect(written.run.configHash).toMatch(/^[0-9a-f]{64}$/)
    const suite = written.suites[0]
    expect(suite?.prompt.version).toMatch(/^[0-9a-f]{12}$/)
    expect(suite?.stats.passRate).toMatchObject({ value: 1, level: 0.95 })
    expect(suite?.stats.costUsd.total).toBeGreaterThan(0)
    const sample = suite?.cases[0]?.samples[0]
    expect(sample).toMatchObject({ pass: true, score: 1, error: null })
    expect(sample?.grades.map((g) => g.type)).toEqual([
      'json-schema',
      'latency',
      'icontains',
      'javascript',
    ])
    expect(sample?.usage?.input).toBeGreaterThan(0)
    expect(readFileSync(join(dir, 'out/junit.xml'), 'utf8')).toContain(
      '<testsuite name="code-review" tests="3" failures="0" errors="0"',
    )
    expect(readFileSync(join(dir, 'out/summary.md'), 'utf8')).toContain('✅ **All suites passed**')

    const list = await runCli(['runs', 'list'], { cwd: dir })
    expect(list.stdout).toContain(written.run.id)
    const show = await runCli(['runs', 'show', written.run.id.slice(0, 15), '--json'], { cwd: dir })
    const shown = JSON.parse(show.stdout) as ResultsDocument
    expect(shown.suites).toEqual(written.suites)
    expect(shown.summary).toEqual(written.summary)
    expect((await runCli(['runs', 'show', 'nope'], { cwd: dir })).code).toBe(2)
  })

  it('refuses an output path it cannot tell the format of', async () => {
    const dir = tempProject({})
    await runCli(['init'], { cwd: dir })
    const run = await runCli(['eval', '-o', 'results.txt'], { cwd: dir })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('cannot tell the format of -o results.txt')
  })

  it('exits 3 when a requested output cannot be written, keeping the run and the other outputs', async () => {
    const dir = tempProject({ 'blocker.txt': 'a file where a directory is wanted\n' })
    await runCli(['init'], { cwd: dir })
    const run = await runCli(
      ['eval', '--no-progress', '-o', 'blocker.txt/results.json', '-o', 'ok.xml'],
      { cwd: dir },
    )
    expect(run.code).toBe(3)
    expect(run.stderr).toContain('a requested report could not be written: json:')
    expect(run.stderr).toContain('blocker.txt')
    expect(run.stderr).not.toMatch(/\n\s+at /)
    expect(existsSync(join(dir, 'ok.xml'))).toBe(true)
    const runs = await runCli(['runs', 'list', '--json'], { cwd: dir })
    expect((JSON.parse(runs.stdout) as unknown[])[0]).toMatchObject({ status: 'completed' })
  })

  it('retries injected rate limits and still passes', async () => {
    const dir = tempProject({
      'shipgate.yaml': `version: 1
providers:
  flaky:
    type: mock
    default: ok
    failures: [{ every: 3, kind: rate_limited, retryAfterMs: 10 }]
prompts:
  p: { user: "q {{ n }}" }
suites:
  s:
    prompt: p
    provider: flaky
    cases: [${Array.from({ length: 12 }, (_, i) => `{ vars: { n: ${i} }, assert: [{ type: equals, value: ok }] }`).join(', ')}]
`,
    })
    const run = await runCli(['eval', '--json'], { cwd: dir })
    expect(run.code).toBe(0)
    const results = JSON.parse(run.stdout) as ResultsDocument
    const attempts = results.suites[0]?.cases.flatMap((c) => c.samples.map((s) => s.attempts)) ?? []
    expect(attempts.filter((a) => a > 1).length).toBeGreaterThan(0)
    expect(results.summary).toMatchObject({ passed: 12, errors: 0 })
  })

  it('on SIGINT during a 1,000-case run, exits 130 within 5 s and keeps finished cases as interrupted', async () => {
    const cases = Array.from({ length: 1000 }, (_, i) =>
      JSON.stringify({ id: `c${i}`, vars: { n: i } }),
    ).join('\n')
    const dir = tempProject({
      'shipgate.yaml': `version: 1
providers:
  slow: { type: mock, default: ok, latencyMs: 200 }
prompts:
  p: { user: "q {{ n }}" }
suites:
  big: { prompt: p, provider: slow, cases: cases.jsonl, assert: [{ type: equals, value: ok }] }
`,
      'cases.jsonl': cases,
    })
    const child = startCli(['eval', '--no-progress'], { cwd: dir })
    const done = finished(child)
    // Once some samples are stored (not after a fixed time, which a loaded machine outruns).
    await storedSamples(join(dir, '.shipgate/shipgate.db'), 1)
    const sent = Date.now()
    child.kill('SIGINT')
    const result = await done
    const elapsed = Date.now() - sent
    expect(result.code).toBe(130)
    expect(elapsed).toBeLessThan(5000)
    expect(result.stderr).toContain('interrupted')
    const store = openSqliteStore(join(dir, '.shipgate/shipgate.db'))
    try {
      const [run] = await store.runs.list()
      expect(run?.status).toBe('interrupted')
      const samples = await store.runs.samples(run?.id ?? '')
      expect(samples.length).toBeGreaterThan(0)
      expect(samples.length).toBeLessThan(1000)
      expect(samples.every((s) => s.pass)).toBe(true)
      expect(run?.summary?.samples).toBe(samples.length)
    } finally {
      await store.close()
    }
  })

  it('after a crash (SIGKILL), the next command marks the run interrupted and keeps what was stored', async () => {
    const cases = Array.from({ length: 400 }, (_, i) =>
      JSON.stringify({ id: `c${i}`, vars: { n: i } }),
    ).join('\n')
    const dir = tempProject({
      'shipgate.yaml': `version: 1
providers:
  slow: { type: mock, default: ok, latencyMs: 100 }
prompts:
  p: { user: "q {{ n }}" }
suites:
  big: { prompt: p, provider: slow, cases: cases.jsonl }
`,
      'cases.jsonl': cases,
    })
    const child = startCli(['eval', '--no-progress'], { cwd: dir })
    const done = finished(child)
    // Once the first samples are written (they are flushed every second).
    await storedSamples(join(dir, '.shipgate/shipgate.db'), 1)
    child.kill('SIGKILL')
    expect((await done).code).toBeNull()
    const list = await runCli(['runs', 'list', '--json'], { cwd: dir })
    const [run] = JSON.parse(list.stdout) as {
      status: string
      summary: { samples: number } | null
    }[]
    expect(run?.status).toBe('interrupted')
    expect(run?.summary?.samples).toBeGreaterThan(0)
    expect(run?.summary?.samples).toBeLessThan(400)
  })

  it('exits 2 naming an unset ${VAR}', async () => {
    const dir = tempProject({})
    await runCli(['init'], { cwd: dir })
    writeFiles(dir, {
      'shipgate.yaml': readFileSync(join(dir, 'shipgate.yaml'), 'utf8').replace(
        'default: {',
        'default: "${MISSING_REPLY}"\n    x: {',
      ),
    })
    const run = await runCli(['eval'], { cwd: dir })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('environment variable MISSING_REPLY is not set')
  })
})
