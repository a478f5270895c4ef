import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { minimalConfig, tempProject } from '../helpers/project.js'
import { freePort } from '../helpers/services.js'
import { sendQueries, startAgent } from '../metric-sources/agent-service.js'

/* `shipgate monitor` of the built CLI against the example agent service under a loopback load. */

const project = (monitor = '') =>
  tempProject({ 'shipgate.yaml': `${minimalConfig()}monitor:\n  minRequests: 10\n${monitor}` })

/** Sends queries until `stop` is aborted. */
function load(url: string, stop: AbortSignal): Promise<void> {
  return (async () => {
    for (let i = 0; !stop.aborted; i++) {
      await sendQueries(url, 5, `e2e-${i}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  })()
}

describe('shipgate monitor', () => {
  it('exits 1 on a release with 20% errors, with progress on stderr and JSON on stdout', async () => {
    const agent = await startAgent({ RELEASE_ID: 'bad', FAULT_ERROR_RATE: '0.2' })
    const stop = new AbortController()
    const traffic = load(agent.url, stop.signal)
    const args = ['monitor', agent.url, '--release', 'bad', '--duration', '6s', '--interval', '2s']
    const result = await runCli([...args, '--json'], { cwd: project() }).finally(() => stop.abort())
    await traffic
    expect(result.code).toBe(1)
    const report = JSON.parse(result.stdout) as {
      outcome: string
      intervals: { outcome: string; findings: string[] }[]
    }
    expect(report.outcome).toBe('failed')
    expect(report.intervals.length).toBeLessThanOrEqual(2)
    expect(report.intervals.at(-1)?.findings.join()).toMatch(
      /error rate .* against the limit 5\.0% \(p /,
    )
    expect(result.stderr).toMatch(/interval 1\/3 \(2s\): (failed|passed) — \d+ requests/)
  }, 40_000)

  it('exits 0 on a good release, and 1 with a message when there is no traffic (0 if told to pass)', async () => {
    const agent = await startAgent({ RELEASE_ID: 'good' })
    const stop = new AbortController()
    const traffic = load(agent.url, stop.signal)
    const args = ['monitor', agent.url, '--duration', '4s', '--interval', '2s']
    const busy = await runCli(args, { cwd: project() }).finally(() => stop.abort())
    await traffic
    expect(busy.code).toBe(0)
    expect(busy.stdout).toMatch(/^interval\s+outcome\s+requests\s+errors\s+p95\s+cost\/request/)
    expect(busy.stdout).toMatch(
      /monitor PASSED: nothing significantly worse over 2 intervals and \d+ requests/,
    )
    expect(busy.stdout).toMatch(/^error-limit\s+limit\s+0\.0%\s+5\.0%\s+1\.000\s+ok$/m)
    const idle = await runCli(['monitor', agent.url, '--duration', '1s', '--interval', '500ms'], {
      cwd: project(),
    })
    expect(idle.code).toBe(1)
    expect(idle.stdout).toContain(
      'monitor INCONCLUSIVE: 0 requests, fewer than the 10 the monitor needs to pass',
    )
    expect(idle.stdout).toContain('this is not a pass')
    const lenient = await runCli(
      ['monitor', agent.url, '--duration', '1s', '--interval', '500ms'],
      { cwd: project('  onInconclusive: pass\n') },
    )
    expect(lenient.code).toBe(0)
    expect(lenient.stdout).toContain('monitor INCONCLUSIVE')
    expect(lenient.stderr).toContain('warning: too little traffic to judge')
  }, 40_000)

  it('exits 3 when the metrics cannot be read', async () => {
    const url = `http://127.0.0.1:${await freePort()}`
    const result = await runCli(['monitor', url, '--duration', '900ms', '--interval', '300ms'], {
      cwd: project(),
    })
    expect(result.code).toBe(3)
    expect(result.stdout).toContain(
      'monitor ERROR: metrics could not be read for 3 intervals in a row',
    )
    expect(result.stderr).toContain(`metrics endpoint ${url}/metrics: connection refused`)
  }, 20_000)

  it('--once: health and spend per hour, exit 1 over the budget', async () => {
    const agent = await startAgent({ RELEASE_ID: 'once' })
    await sendQueries(agent.url, 5)
    const fine = await runCli(['monitor', agent.url, '--once'], {
      cwd: project('  thresholds:\n    costPerHourUsd: 1000\n'),
    })
    expect(fine.code).toBe(0)
    expect(fine.stdout).toMatch(
      /^monitor --once PASSED: healthy; spend \$\S+\/hour \(limit \$1000\.00\/hour\)/,
    )
    const over = await runCli(['monitor', agent.url, '--once', '--json'], {
      cwd: project('  thresholds:\n    costPerHourUsd: 0.000001\n'),
    })
    expect(over.code).toBe(1)
    expect(JSON.parse(over.stdout)).toMatchObject({ outcome: 'failed', health: { passed: true } })
  }, 30_000)

  it('refuses a duration it cannot read', async () => {
    const result = await runCli(['monitor', 'http://127.0.0.1:9', '--duration', 'soon'], {
      cwd: project(),
    })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(
      `option '--duration <d>' argument 'soon' is invalid. "soon" is not a duration`,
    )
  })

  it('refuses --since on a source without history', async () => {
    const result = await runCli(['monitor', 'http://127.0.0.1:9', '--since', '10m'], {
      cwd: project(),
    })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--since needs a metric source with history; endpoint')
  })
})
