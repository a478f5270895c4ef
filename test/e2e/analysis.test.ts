import { describe, expect, it } from 'vitest'
import { finished, runCli, startCli } from '../helpers/cli.js'
import { tempProject } from '../helpers/project.js'
import { freePort } from '../helpers/services.js'

/* `shipgate analysis serve` of the built CLI: its URL on stdout, SIGTERM → 130; off loopback
   without a token → 2. */

describe('shipgate analysis serve', () => {
  it('prints its URL, answers, keeps the token out of its output, and exits 130 on SIGTERM', async () => {
    const token = 'e2e-analysis-token-5b7d'
    const metrics = `http://127.0.0.1:${await freePort()}`
    const child = startCli(['analysis', 'serve', metrics, '--port', '0', '--token-env', 'TOK'], {
      cwd: tempProject({}),
      env: { TOK: token },
    })
    const done = finished(child)
    const url = await new Promise<string>((resolve) =>
      child.stdout?.once('data', (d: Buffer) => resolve(d.toString().trim())),
    )
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const response = await fetch(`${url}/analysis?canary=a&stable=b`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(response.status).toBe(503)
    expect(await response.json()).toMatchObject({ verdict: 'error' })
    expect((await fetch(`${url}/analysis?canary=a&stable=b`)).status).toBe(401)
    child.kill('SIGTERM')
    const result = await done
    expect(result.code).toBe(130)
    expect(result.stderr).toContain(`shipgate analysis (endpoint metrics) on ${url}`)
    expect(result.stdout + result.stderr).not.toContain(token)
  }, 30_000)

  it('exits 2 when bound beyond loopback without a token', async () => {
    const result = await runCli(['analysis', 'serve', 'http://127.0.0.1:9', '--host', '0.0.0.0'], {
      cwd: tempProject({}),
    })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('needs a token')
    expect(result.stderr).toContain('--token-env')
  })
})

describe('shipgate analysis manifests', () => {
  it('prints the AnalysisTemplate and the Rollout; exits 2 on a bad step', async () => {
    const args = ['analysis', 'manifests', '--service', 'agent', '--image', 'agent:1']
    const releases = ['--canary-release', 'rel-b', '--stable-release', 'rel-a']
    const url = ['--analysis-url', 'http://shipgate-analysis:8790']
    const ok = await runCli(
      [...args, ...releases, ...url, '--step', 'setWeight=10', '--step', 'analysis'],
      {
        cwd: tempProject({}),
      },
    )
    expect(ok.code).toBe(0)
    expect(ok.stdout).toMatch(/^apiVersion: argoproj\.io\/v1alpha1\nkind: AnalysisTemplate\n/)
    expect(ok.stdout).toContain('\n---\napiVersion: argoproj.io/v1alpha1\nkind: Rollout\n')
    expect(ok.stdout).toContain('- setWeight: 10\n')
    const bad = await runCli([...args, ...releases, ...url, '--step', 'weight=10'], {
      cwd: tempProject({}),
    })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('step "weight=10" is not a canary step')
  })
})
