import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { ResultsDocument } from '../../src/contracts/results.js'
import { runCli } from '../helpers/cli.js'
import { evalJson, fakeAnthropic, project, samples } from '../helpers/eval-project.js'
import { walkFiles } from '../helpers/files.js'

// Timing checks: `npm test` runs this folder after the rest, alone, so that other test files
// running in parallel do not take the CPU these measurements need.

describe('timing', () => {
  it('measures the call, not the harness: 50 ms answers at concurrency 32 report a p50 within 5 ms of 50 (best of 3)', async () => {
    // A lean fake in its own process, so that the fake's own work and the test runner's are not
    // counted as the call's latency (see test/fakes/lean-anthropic.mjs).
    const script = fileURLToPath(new URL('../fakes/lean-anthropic.mjs', import.meta.url))
    const fake = spawn(process.execPath, [script, '50'], { stdio: ['ignore', 'pipe', 'inherit'] })
    try {
      const url = await new Promise<string>((resolve) =>
        fake.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())),
      )
      // Ten rounds of 32: the first round also opens the connections and warms both processes up.
      // A harness that counted its own queueing or grading would be off in every attempt; a
      // machine busy for a moment (the shared CI runner just after the other test files) is off
      // in one. So the best of three attempts is held to the 5 ms.
      const seen: number[] = []
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const { results } = await evalJson(project(url, 320), ['--concurrency', '32'])
        const p50 = results?.suites[0]?.stats.latencyMs.p50 ?? Number.NaN
        seen.push(p50)
        if (Math.abs(p50 - 50) <= 5) break
      }
      const best = Math.min(...seen.map((p50) => Math.abs(p50 - 50)))
      expect(best, `p50 per attempt: ${seen.join(', ')}`).toBeLessThanOrEqual(5)
    } finally {
      fake.kill()
    }
  })
  it('replays a recorded 50-case suite with the fake stopped: same outputs and usage, under 1 s', async () => {
    const fake = await fakeAnthropic((_attempt, text) => ({
      kind: 'text',
      text: `answer to ${text}`,
      usage: { input: 40, output: 7 },
    }))
    const dir = project(fake.url, 50)
    const recorded = await evalJson(dir, ['--record'])
    expect(recorded.code).toBe(0)
    expect(fake.requests).toHaveLength(50)
    await fake.close()
    const started = Date.now()
    const replayed = await evalJson(dir, ['--replay'], {})
    const elapsed = Date.now() - started
    expect(replayed.stderr).toBe('')
    expect(replayed.code).toBe(0)
    expect(elapsed).toBeLessThan(1000)
    const strip = (r: ResultsDocument | undefined) =>
      samples(r).map((s) => ({ id: s.caseId, output: s.output, usage: s.usage, cost: s.costUsd }))
    expect(strip(replayed.results)).toEqual(strip(recorded.results))
    expect(samples(replayed.results).every((s) => s.cached)).toBe(true)
    const packs = walkFiles(join(dir, 'cassettes'))
    expect(packs).toEqual([
      join(dir, 'cassettes', 'v1-messages', 'claude-3-5-haiku-20241022.jsonl'),
    ])
    expect(
      readFileSync(packs[0] as string, 'utf8')
        .trimEnd()
        .split('\n'),
    ).toHaveLength(50)

    const cases = join(dir, 'cases.jsonl')
    writeFileSync(
      cases,
      readFileSync(cases, 'utf8').replace(
        '{"id":"c7","vars":{"n":7}}',
        '{"id":"c7","vars":{"n":77}}',
      ),
    )
    const missed = await runCli(['eval', '--replay', '--no-progress'], { cwd: dir, env: {} })
    expect(missed.code).toBe(3)
    expect(missed.stderr).toContain('replay found no recording for 1 request:')
    // Exactly that one request missed; the nearest recording differs only in its question.
    expect(missed.stderr.match(/no recording for POST \/v1\/messages/g)).toHaveLength(1)
    expect(missed.stderr).toMatch(
      /body\.messages\.0\.content: recorded "Question \d+", requested "Question 77"/,
    )
  })
})
