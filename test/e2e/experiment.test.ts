import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ExperimentListEntry, ExperimentReport } from '../../src/contracts/experiment.js'
import { finished, runCli, startCli } from '../helpers/cli.js'
import { minimalConfig, tempProject } from '../helpers/project.js'

/* `shipgate experiment` of the built CLI: collect (events POSTed as the SDK's collector sink
   does), then analyze and list; import; SRM → exit 1; an unknown experiment → exit 2. */

const CONFIG = `${minimalConfig()}experiments:
  checkout:
    flag: checkout-prompt
    control: A
    allocation: { A: 50, B: 50 }
    metrics:
      task_success: { kind: proportion }
    primary: { metric: task_success, effect: 0.05 }
    minDays: 1
    plannedDays: 14
`

/** Exposures and task-success outcomes of `users` per arm, over two days from Dec 1. */
function events(users: { A: number; B: number }, success: { A: number; B: number }) {
  const out: object[] = []
  for (const variant of ['A', 'B'] as const) {
    for (let i = 0; i < users[variant]; i++) {
      const user = `${variant}-${i}`
      const at = new Date(Date.UTC(2026, 11, 1) + (i * 2 * 86_400_000) / users[variant])
      const base = { v: 1, experiment: 'checkout', variant, user, at: at.toISOString() }
      out.push({ ...base, id: `${user}-x`, type: 'exposure' })
      const value = i < success[variant] * users[variant] ? 1 : 0
      out.push({ ...base, id: `${user}-s`, type: 'outcome', name: 'task_success', value })
    }
  }
  return out
}

const ndjson = (list: readonly object[]) => list.map((e) => JSON.stringify(e)).join('\n') + '\n'

describe('shipgate experiment', () => {
  it('collects POSTed events, stops on SIGTERM, then analyzes and lists them', async () => {
    const cwd = tempProject({ 'shipgate.yaml': CONFIG })
    const token = 'e2e-collector-token-19c4'
    const child = startCli(['experiment', 'collect', '--port', '0'], {
      cwd,
      env: { SHIPGATE_COLLECTOR_TOKEN: token },
    })
    const done = finished(child)
    const url = await new Promise<string>((resolve) =>
      child.stdout?.once('data', (d: Buffer) => resolve(d.toString().trim())),
    )
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const all = events({ A: 400, B: 400 }, { A: 0.5, B: 0.8 })
    const headers = { 'content-type': 'application/x-ndjson', authorization: `Bearer ${token}` }
    for (let i = 0; i < all.length; i += 500) {
      const response = await fetch(`${url}/v1/events`, {
        method: 'POST',
        headers,
        body: ndjson(all.slice(i, i + 500)),
      })
      expect(response.status).toBe(202)
    }
    const resent = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers,
      body: ndjson(all.slice(0, 10)),
    })
    expect(await resent.json()).toEqual({ stored: 0, duplicates: 10 })
    const unauthorized = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: ndjson(all.slice(0, 1)),
    })
    expect(unauthorized.status).toBe(401)
    child.kill('SIGTERM')
    const stopped = await done
    expect(stopped.code).toBe(130)
    expect(stopped.stderr).toContain(`shipgate experiment collector on ${url}`)
    expect(stopped.stdout + stopped.stderr).not.toContain(token)

    const analyzed = await runCli(['experiment', 'analyze', 'checkout', '--json'], { cwd })
    expect(analyzed.code).toBe(0)
    const report = JSON.parse(analyzed.stdout) as ExperimentReport
    expect(report.arms.map((a) => [a.variant, a.users])).toEqual([
      ['A', 400],
      ['B', 400],
    ])
    expect(report.events).toEqual({ exposures: 800, outcomes: 800 })
    expect(report.decision).toEqual({ outcome: 'winner', variant: 'B' })
    expect(report.treatments[0]?.primary.difference).toBeCloseTo(0.3, 10)

    const text = await runCli(['experiment', 'analyze', 'checkout', '--markdown', 'summary.md'], {
      cwd,
    })
    expect(text.code).toBe(0)
    expect(text.stdout.split('\n')[0]).toBe('winner: B on task_success (+0.3 against A)')

    const listed = await runCli(['experiment', 'list', '--json'], { cwd })
    expect(listed.code).toBe(0)
    expect(JSON.parse(listed.stdout) as ExperimentListEntry[]).toEqual([
      {
        experiment: 'checkout',
        configured: true,
        flag: 'checkout-prompt',
        variants: ['A', 'B'],
        exposures: 800,
        outcomes: 800,
        samples: 0,
        first: '2026-12-01T00:00:00.000Z',
        last: expect.stringMatching(/^2026-12-02T/) as string,
      },
    ])
  }, 60_000)

  it('imports a JSONL file; a sample ratio mismatch exits 1; an unknown experiment exits 2', async () => {
    const cwd = tempProject({ 'shipgate.yaml': CONFIG })
    writeFileSync(join(cwd, 'events.jsonl'), ndjson(events({ A: 300, B: 450 }, { A: 0.5, B: 0.5 })))
    const imported = await runCli(['experiment', 'import', 'events.jsonl'], { cwd })
    expect(imported.code).toBe(0)
    expect(imported.stdout).toBe(
      'events.jsonl: 1500 events, 1500 stored, 0 already stored (checkout)\n',
    )
    const again = await runCli(['experiment', 'import', 'events.jsonl', '--json'], { cwd })
    expect(JSON.parse(again.stdout)).toMatchObject({ stored: 0, duplicates: 1500 })
    const srm = await runCli(['experiment', 'analyze', 'checkout'], { cwd })
    expect(srm.code).toBe(1)
    expect(srm.stdout).toMatch(
      /^invalid: sample ratio mismatch: A 300 \(planned 375\), B 450 \(planned 375\)/,
    )
    const unknown = await runCli(['experiment', 'analyze', 'nope'], { cwd })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('no experiment "nope"')
    writeFileSync(join(cwd, 'bad.jsonl'), '{"v":2}\n')
    const bad = await runCli(['experiment', 'import', 'bad.jsonl'], { cwd })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('bad.jsonl:1: unsupported event version v=2')
  }, 60_000)
})
