import { describe, expect, it, onTestFinished } from 'vitest'
import { startWebhookCatcher } from '../fakes/webhook.js'
import { runCli } from '../helpers/cli.js'
import { minimalConfig, tempProject } from '../helpers/project.js'
import { freePort } from '../helpers/services.js'
import { startAgent } from '../metric-sources/agent-service.js'

/* `shipgate smoke` of the built CLI against the example agent service. */

describe('shipgate smoke', () => {
  it('passes the four seed checks on a URL, as a table or JSON', async () => {
    const agent = await startAgent({ RELEASE_ID: 'e2e-smoke' })
    const dir = tempProject({})
    const table = await runCli(['smoke', agent.url], { cwd: dir })
    expect(table.stderr).toContain(`smoke testing ${agent.url}`)
    expect(table.code).toBe(0)
    const lines = table.stdout.split('\n')
    expect(lines[0]).toMatch(/^check\s+request\s+status\s+latency\s+attempts\s+result$/)
    expect(lines.slice(1, 5).map((l) => l.split(/\s{2,}/)[0])).toEqual([
      'health',
      'query',
      'rate limit',
      'metrics',
    ])
    expect(table.stdout).toContain(`smoke passed: 4 checks on ${agent.url}`)
    const json = await runCli(['smoke', agent.url, '--json'], { cwd: dir })
    expect(json.code).toBe(0)
    const report = JSON.parse(json.stdout) as { passed: boolean; checks: { status: number }[] }
    expect(report.passed).toBe(true)
    expect(report.checks.map((c) => c.status)).toEqual([200, 200, 200, 200])
  }, 30_000)

  it('exits 1 with the reason when a check fails, using the config in the directory, and alerts', async () => {
    const agent = await startAgent({ FAULT_ERROR_RATE: '1' })
    const catcher = await startWebhookCatcher()
    onTestFinished(() => catcher.close())
    const dir = tempProject({
      'shipgate.yaml': `${minimalConfig()}smoke:\n  retries: 1\n  retryDelay: 10ms\nnotify:\n  - { type: webhook, url: '${catcher.url}/hook' }\n`,
    })
    const result = await runCli(['smoke', agent.url], { cwd: dir })
    const alert = catcher.requests[0]?.json as { type?: string; summary?: string } | undefined
    expect(alert?.type).toBe('smoke.failed')
    expect(alert?.summary).toContain('query: POST /agent/query: 500 Internal Server Error')
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('POST /agent/query: 500 Internal Server Error, expected 200')
    expect(result.stdout).toMatch(/query\s+POST \/agent\/query\s+500\s+\d+ ms\s+2\s/)
    expect(result.stdout).toContain('smoke FAILED: 1 of 4 checks')
  }, 30_000)

  it('checks a target by name through its url, and refuses an unknown one', async () => {
    const agent = await startAgent({ RELEASE_ID: 'e2e-target' })
    const targets = `targets:\n  staging:\n    type: command\n    url: ${agent.url}\n    deploy: "true"\n    rollback: "true"\n`
    const dir = tempProject({ 'shipgate.yaml': minimalConfig() + targets })
    const ok = await runCli(['smoke', 'staging'], { cwd: dir })
    expect(ok.stderr).toContain(`smoke testing ${agent.url}`)
    expect(ok.code).toBe(0)
    const unknown = await runCli(['smoke', 'production'], { cwd: dir })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('no target named production')
  }, 30_000)

  it('exits 1 saying "connection refused" when nothing listens', async () => {
    const dir = tempProject({ 'shipgate.yaml': `${minimalConfig()}smoke:\n  retries: 0\n` })
    const url = `http://127.0.0.1:${await freePort()}`
    const result = await runCli(['smoke', url], { cwd: dir })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('GET /health: connection refused')
  })
})
