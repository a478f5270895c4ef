import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import type { ExperimentReport } from '../../src/contracts/experiment.js'
import type { ExperimentJudgeReport } from '../../src/contracts/experiment-ops.js'
import { finished, runCli, startCli } from '../helpers/cli.js'
import { tempProject } from '../helpers/project.js'

/*
 * An online experiment end to end, every part a separate process: `experiment start` splits the
 * example agent service's prompt_version flag 50/50; the service (the runtime SDK's
 * createExperiment and collectorSink) serves loopback users and sends exposures, cost and
 * latency per answer, feedback outcomes and sampled answers to `shipgate experiment collect`,
 * which stores them in SQLite; `experiment analyze` reports; `experiment ship` moves the flag
 * and a running service follows within a second, without a restart.
 */

const SERVER = fileURLToPath(new URL('../../examples/agent-service/server.mjs', import.meta.url))
const FLAGS = fileURLToPath(new URL('../../examples/agent-service/flags.json', import.meta.url))
const TOKEN = 'e2e-experiment-token-7f3a'

// The judge grades the mock model's answers, which say which prompt wrote them: "(v2) ...".
const CONFIG = `version: 1
providers:
  bot: { type: mock }
  grader:
    type: mock
    responses:
      - regex: '<output>\\s*\\(v2\\)'
        output: { reason: thorough, pass: true, score: 0.9 }
    default: { reason: terse, pass: false, score: 0.4 }
prompts:
  hello: { user: "Say hello to {{ name }}" }
suites:
  greet:
    prompt: hello
    provider: bot
    cases: [{ id: one, vars: { name: Ada }, assert: [{ type: contains, value: Ada }] }]
judge: grader
release:
  flags: flags.json
experiments:
  prompt-v2:
    flag: prompt_version
    control: v1
    allocation: { v1: 50, v2: 50 }
    metrics:
      task_success: { kind: proportion }
      cost_usd: { kind: mean, better: lower }
    primary: { metric: task_success, effect: 0.1 }
    guardrails: [{ metric: cost_usd, margin: 0.5 }]
    minDays: 0
    plannedDays: 14
    judge: { sampleRate: 0.25, rubric: Answers the question fully }
`

const children: ChildProcess[] = []
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
})

/** Starts the agent service; resolves with its URL and a `stop` that waits for its exit. */
async function startService(env: Record<string, string>) {
  const child = spawn(process.execPath, [SERVER, '--port', '0'], {
    env: { PATH: process.env.PATH, RATE_LIMIT_RATE: '1000', RATE_LIMIT_BURST: '1000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  const exited = finished(child)
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (d: Buffer) =>
      resolve(/listening on (\S+)/.exec(d.toString())?.[1] ?? ''),
    )
    child.once('exit', (code) => reject(new Error(`agent-service exited ${code}`)))
  })
  const stop = async () => {
    child.kill('SIGTERM')
    return exited
  }
  return { url, stop }
}

/** One query of `user`; the prompt version the service answered with. */
async function ask(url: string, user: string): Promise<string> {
  const response = await fetch(`${url}/agent/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'Why is the build slow?', user_id: user }),
  })
  expect(response.status).toBe(200)
  return ((await response.json()) as { prompt_version: string }).prompt_version
}

const feedback = (url: string, user: string, success: number) =>
  fetch(`${url}/agent/feedback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user_id: user, task_success: success }),
  })

/** Runs `work` over `items`, `width` at a time. */
async function pool<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0
  const lane = async () => {
    while (next < items.length) await work(items[next++] as T)
  }
  await Promise.all(Array.from({ length: width }, lane))
}

describe('an online experiment on the example agent service', () => {
  it('assigns, collects, analyzes and ships, the service following the flag without restart', async () => {
    const cwd = tempProject({ 'shipgate.yaml': CONFIG, 'flags.json': readFileSync(FLAGS, 'utf8') })
    const started = await runCli(['experiment', 'start', 'prompt-v2'], { cwd })
    expect(started.code, started.stderr).toBe(0)

    const collector = startCli(['experiment', 'collect', '--port', '0'], {
      cwd,
      env: { SHIPGATE_COLLECTOR_TOKEN: TOKEN },
    })
    children.push(collector)
    const collected = finished(collector)
    const collectorUrl = await new Promise<string>((resolve) =>
      collector.stdout?.once('data', (d: Buffer) => resolve(d.toString().trim())),
    )
    const service = await startService({
      FLAGS_FILE: join(cwd, 'flags.json'),
      EXPERIMENT_NAME: 'prompt-v2',
      EXPERIMENT_COLLECTOR_URL: collectorUrl,
      EXPERIMENT_SAMPLE_RATE: '0.25',
      SHIPGATE_COLLECTOR_TOKEN: TOKEN,
    })

    // 400 users: v2 truly succeeds for 80% of its users, v1 for 50%.
    const users = Array.from({ length: 400 }, (_, i) => `user-${i}`)
    const served = new Map<string, string>()
    await pool(users, 16, async (user) => {
      const version = await ask(service.url, user)
      served.set(user, version)
      const i = Number(user.slice(5))
      const success = version === 'v2' ? Number(i % 5 !== 0) : Number(i % 2 === 0)
      expect((await feedback(service.url, user, success)).status).toBe(204)
    })
    const stopped = await service.stop()
    expect(stopped.stderr).not.toContain(TOKEN)
    collector.kill('SIGTERM')
    const collectorExit = await collected
    expect(collectorExit.stdout + collectorExit.stderr).not.toContain(TOKEN)

    const analyzed = await runCli(['experiment', 'analyze', 'prompt-v2', '--json'], { cwd })
    expect(analyzed.code, analyzed.stderr).toBe(0)
    const report = JSON.parse(analyzed.stdout) as ExperimentReport
    const onV2 = [...served.values()].filter((v) => v === 'v2').length
    expect(report.arms.map((a) => [a.variant, a.users])).toEqual([
      ['v1', 400 - onV2],
      ['v2', onV2],
    ])
    // A 50/50 split of 400 users lands within 150–250 with probability above 0.999999.
    expect(onV2).toBeGreaterThan(150)
    expect(onV2).toBeLessThan(250)
    expect(report.events.exposures).toBe(400)
    const primary = report.treatments[0]?.primary
    expect(primary?.difference).toBeGreaterThan(0.15)
    expect(primary?.difference).toBeLessThan(0.45)

    // The sampled answers, graded after the fact by the configured judge, once.
    const judged = await runCli(['experiment', 'judge', 'prompt-v2', '--json'], { cwd })
    expect(judged.code, judged.stderr).toBe(0)
    const grades = JSON.parse(judged.stdout) as ExperimentJudgeReport
    // 400 answers sampled at 25%: 100 expected, 60–140 with probability above 0.99999.
    expect(grades.samples).toBeGreaterThan(60)
    expect(grades.samples).toBeLessThan(140)
    expect([grades.graded, grades.failed]).toEqual([grades.samples, 0])
    expect(grades.variants.map((v) => [v.variant, v.meanScore?.toFixed(6)])).toEqual([
      ['v1', '0.400000'],
      ['v2', '0.900000'],
    ])
    const again = await runCli(['experiment', 'judge', 'prompt-v2', '--json'], { cwd })
    expect(JSON.parse(again.stdout)).toMatchObject({ graded: 0, skipped: grades.samples })

    // Ship v2 while a service runs: a user it served v1 gets v2 within a second.
    const live = await startService({ FLAGS_FILE: join(cwd, 'flags.json') })
    const onV1 = users.find((u) => served.get(u) === 'v1') as string
    expect(await ask(live.url, onV1)).toBe('v1')
    const shipped = await runCli(['experiment', 'ship', 'prompt-v2', '--variant', 'v2'], { cwd })
    expect(shipped.code, shipped.stderr).toBe(0)
    const shippedAt = performance.now()
    let followedMs = Number.POSITIVE_INFINITY
    while (performance.now() - shippedAt < 3000) {
      if ((await ask(live.url, onV1)) === 'v2') {
        followedMs = performance.now() - shippedAt
        break
      }
      await new Promise((r) => setTimeout(r, 20))
    }
    expect(followedMs).toBeLessThan(1000)
    expect(await ask(live.url, 'someone-new')).toBe('v2')
    await live.stop()
    const releases = await runCli(['release', 'list', '--json'], { cwd })
    expect(releases.stdout).toContain('experiment-prompt-v2-v2')
  }, 90_000)
})
