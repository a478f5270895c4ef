import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { createRelease, deployProject, type DeployProject } from '../helpers/deploy-project.js'
import { tempProject } from '../helpers/project.js'

/*
 * `shipgate rollback`, coordinated: on the local target with the example agent service (the
 * prompt alone through PROMPT_VERSION, then the whole release), and on the command target with a
 * fake `railway` on PATH that records its arguments.
 */

describe('shipgate rollback on the local target', () => {
  let project: DeployProject
  beforeAll(async () => {
    project = await deployProject()
  })
  afterAll(async () => {
    await project.remove()
  })

  const promptVersion = async () => {
    const answer = await fetch(`${project.url}/agent/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'hello', user_id: 'rollback-test' }),
    })
    return ((await answer.json()) as { prompt_version?: string }).prompt_version
  }

  it('moves the prompt back alone, then the whole release', async () => {
    const v1 = await createRelease(project.dir, ['--name', 'v1', '--env', 'PROMPT_VERSION=v1'])
    expect((await runCli(['deploy', 'local', '--no-monitor'], { cwd: project.dir })).code).toBe(0)
    const v2 = await createRelease(project.dir, ['--name', 'v2', '--env', 'PROMPT_VERSION=v2'])
    expect((await runCli(['deploy', 'local', '--no-monitor'], { cwd: project.dir })).code).toBe(0)
    expect(await promptVersion()).toBe('v2')

    const prompt = await runCli(['rollback', 'local', '--only', 'prompt'], { cwd: project.dir })
    expect(prompt.code, prompt.stderr).toBe(0)
    expect(prompt.stdout).toMatch(/prompt\s+reverted\s+PROMPT_VERSION=v1 \(was v2\)/)
    expect(await promptVersion()).toBe('v1')
    expect(await project.release()).toBe(v2) // the code (and so the release) stayed

    const whole = await runCli(['rollback', 'local', '--json'], { cwd: project.dir })
    expect(whole.code, whole.stderr).toBe(0)
    const report = JSON.parse(whole.stdout) as {
      to: string
      parts: { part: string; status: string }[]
    }
    expect(report.to).toBe(v1)
    expect(report.parts.find((p) => p.part === 'code')?.status).toBe('reverted')
    expect(await project.release()).toBe(v1)

    const again = await runCli(['rollback', 'local', '--to', v1], { cwd: project.dir })
    expect(again.code).toBe(2)
    expect(again.stderr).toContain(`${v1} already runs on local`)
  }, 120_000)
})

describe('shipgate deploy and rollback on the command target', () => {
  it('calls railway up, variables set and rollback with the right arguments', async () => {
    const dir = tempProject({
      'shipgate.yaml': `version: 1
providers: { bot: { type: mock } }
prompts: { hello: { user: "hi" } }
suites: { greet: { prompt: hello, provider: bot, cases: [{ id: one }] } }
targets:
  production:
    type: command
    verify: railway whoami
    deploy: railway up --service agent --detach --message "{{ version }} ({{ release.id }})"
    rollback: railway rollback --service agent
    setVariables: railway variables set {{ key }}={{ value }} --service agent
    env: [RAILWAY_TOKEN]
deploy: { monitor: false }
`,
    })
    const bin = join(dir, 'bin')
    const log = join(dir, 'railway.jsonl')
    mkdirSync(bin)
    writeFileSync(
      join(bin, 'railway'),
      `#!/usr/bin/env node\nrequire('fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify({ argv: process.argv.slice(2), token: process.env.RAILWAY_TOKEN ?? null }) + '\\n')\n`,
    )
    chmodSync(join(bin, 'railway'), 0o755)
    const env = { PATH: `${bin}:${process.env.PATH ?? ''}`, RAILWAY_TOKEN: 'token-from-ci' }
    const calls = () =>
      readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { argv: string[]; token: string | null })

    const v1 = await createReleaseIn(dir, env, ['--name', 'v1', '--env', 'PROMPT_VERSION=v1'])
    expect((await runCli(['deploy', 'production'], { cwd: dir, env })).code).toBe(0)
    await createReleaseIn(dir, env, ['--name', 'v2', '--env', 'PROMPT_VERSION=v2'])
    expect((await runCli(['deploy', 'production'], { cwd: dir, env })).code).toBe(0)
    const prompt = await runCli(['rollback', 'production', '--only', 'prompt'], { cwd: dir, env })
    expect(prompt.code, prompt.stderr).toBe(0)
    const whole = await runCli(['rollback', 'production'], { cwd: dir, env })
    expect(whole.code, whole.stderr).toBe(0)

    const argv = calls().map((c) => c.argv)
    expect(argv).toEqual([
      ['whoami'],
      ['up', '--service', 'agent', '--detach', '--message', `v1 (${v1})`],
      ['whoami'],
      ['up', '--service', 'agent', '--detach', '--message', expect.stringMatching(/^v2 \(rel-/)],
      ['variables', 'set', 'PROMPT_VERSION=v1', '--service', 'agent'],
      ['rollback', '--service', 'agent'],
    ])
    expect(calls().every((c) => c.token === 'token-from-ci')).toBe(true)
  }, 60_000)
})

async function createReleaseIn(dir: string, env: Record<string, string>, args: string[]) {
  const result = await runCli(['release', 'create', '--json', ...args], { cwd: dir, env })
  expect(result.code, result.stderr).toBe(0)
  return (JSON.parse(result.stdout) as { manifest: { id: string } }).manifest.id
}
