import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import type { ReleaseManifest } from '../../src/contracts/release.js'
import { openStore } from '../../src/stores/index.js'
import { runCli, type CliResult } from '../helpers/cli.js'
import { deployProject, type DeployProject } from '../helpers/deploy-project.js'
import { startLoad } from '../helpers/load.js'
import { startPostgres, type TestPostgres } from '../helpers/postgres.js'
import { tempProject } from '../helpers/project.js'
import { requireService } from '../helpers/services.js'

/*
 * The generated CD workflow's commands against a team store: a real PostgreSQL, the URL (with its
 * password) only in SHIPGATE_DATABASE_URL, as the workflow's `env:` passes the secret. The
 * commands are read from `.github/workflows/shipgate-deploy.yml` as `init --ci github` writes it
 * for this project's `local` target, and each runs as its own process of the built CLI: the
 * releases are recorded in one checkout (a release job), deployed and rolled back from another,
 * which has no file of the first, so everything it knows came through Postgres. And the other
 * way to name that store: `store: env:NAME` in shipgate.yaml.
 */

const describePostgres = requireService('PostgreSQL', 'initdb')

interface Step {
  readonly name?: string
  readonly id?: string
  readonly if?: string
  readonly run?: string
}

describePostgres('the CD workflow on a Postgres store', () => {
  let server: TestPostgres
  let url: string
  let project: DeployProject
  const outputs: CliResult[] = []

  beforeAll(async () => {
    ;[server, project] = await Promise.all([
      startPostgres(),
      deployProject('', { interval: '1s', duration: '2s' }),
    ])
    url = await server.createDatabase()
  }, 60_000)
  afterAll(async () => {
    await project?.remove()
    await server?.stop()
  })

  /** One step of the workflow, as its own process, with the store's URL from the "secret". */
  const step = async (cwd: string, line: string, code = 0): Promise<CliResult> => {
    const args = line.replace(/^npx shipgate /, '').split(' ')
    const result = await runCli(args, { cwd, env: { SHIPGATE_DATABASE_URL: url } })
    outputs.push(result)
    expect(result.code, `${line}\n${result.stdout}\n${result.stderr}`).toBe(code)
    return result
  }

  it('records a release in one process, deploys it in another and rolls back in a third', async () => {
    // No monitor inside `deploy`: the workflow watches the release in a step of its own.
    const configFile = join(project.dir, 'shipgate.yaml')
    const config = readFileSync(configFile, 'utf8')
    expect(config).toContain('deploy: { healthTimeout: 20s }')
    writeFileSync(
      configFile,
      config.replace(
        'deploy: { healthTimeout: 20s }',
        'deploy: { healthTimeout: 20s, monitor: false }',
      ),
    )
    const steps = await workflowSteps(project.dir)
    expect(steps.map((s) => s.run)).toEqual([
      'npx shipgate release create',
      'npx shipgate deploy local',
      'npx shipgate smoke local',
      'npx shipgate monitor local --duration 5m',
      'npx shipgate rollback local',
    ])
    // Only the rollback runs after a failure, and only when the deploy step succeeded.
    expect(steps.map((s) => s.if)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      "failure() && steps.deploy.outcome == 'success'",
    ])
    expect(steps[1]?.id).toBe('deploy')
    const run = (name: string): string => steps.find((s) => s.name === name)?.run ?? name
    const release = run('Release')
    const deploy = run('Deploy')
    const smoke = run('Smoke')
    const rollback = run('Roll back')
    const monitor = run('Monitor').replace('--duration 5m', '--duration 2s')

    // The release job: a checkout of its own with the same config.
    const releaser = tempProject({ 'shipgate.yaml': readFileSync(configFile, 'utf8') })
    await step(releaser, release)
    const v1 = await onlyRelease()
    const listed = await step(project.dir, 'release list --json')
    expect((JSON.parse(listed.stdout) as ReleaseManifest[]).map((r) => r.id)).toEqual([v1])

    await step(project.dir, deploy)
    expect(await project.release()).toBe(v1)
    await step(project.dir, smoke)
    const load = startLoad(project.url)
    const watched = await step(project.dir, monitor).finally(() => load.stop())
    expect(watched.stdout).toContain('monitor PASSED')

    // The next commit changes the prompt: a new release, deployed the same way.
    const reword = (dir: string) => {
      const file = join(dir, 'shipgate.yaml')
      writeFileSync(file, readFileSync(file, 'utf8').replace('Say hello', 'Greet'))
    }
    reword(releaser)
    reword(project.dir)
    await step(releaser, release)
    const shown = await step(project.dir, 'release show latest --json')
    const v2 = (JSON.parse(shown.stdout) as ReleaseManifest).id
    expect(v2).not.toBe(v1)
    await step(project.dir, deploy)
    expect(await project.release()).toBe(v2)
    await step(project.dir, smoke)
    // No traffic reaches v2: its monitor step cannot judge it and fails, so the job goes on to
    // its rollback step, which finds the release before in the deployments the deploys recorded.
    const idle = await step(project.dir, monitor, 1)
    expect(idle.stdout).toContain('monitor INCONCLUSIVE')
    const back = await step(project.dir, rollback)
    expect(back.stdout).toContain(v1)
    expect(await project.release()).toBe(v1)

    const store = await openStore(url, '/')
    try {
      const deployments = await store.deployments.list({ target: 'local' })
      expect(
        deployments.map((d) => [d.strategy, d.status, d.releaseId, d.previousReleaseId]),
      ).toEqual([
        ['rollback', 'succeeded', v1, v2],
        ['replace', 'succeeded', v2, v1],
        ['replace', 'succeeded', v1, null],
      ])
      expect((await store.releases.list({})).map((r) => r.id)).toEqual([v2, v1])
    } finally {
      await store.close()
    }

    // Nothing went to a SQLite file, and the password was never printed.
    for (const dir of [releaser, project.dir]) {
      expect(existsSync(join(dir, '.shipgate/shipgate.db')), dir).toBe(false)
    }
    for (const { stdout, stderr } of outputs) {
      expect(`${stdout}\n${stderr}`).not.toContain(server.password)
    }
  }, 60_000)

  it('finds the store through store: env:NAME, and names the store: line when NAME is unset', async () => {
    const team = await server.createDatabase()
    const config = `version: 1
providers: { bot: { type: mock } }
prompts: { hello: { user: "hi" } }
suites: { greet: { prompt: hello, provider: bot, cases: [{ id: one }] } }
store: env:TEAM_DATABASE_URL
`
    const [writer, reader] = [
      tempProject({ 'shipgate.yaml': config }),
      tempProject({ 'shipgate.yaml': config }),
    ]
    const env = { TEAM_DATABASE_URL: team }
    const created = await runCli(['release', 'create', '--name', 'v1', '--json'], {
      cwd: writer,
      env,
    })
    expect(created.code, created.stderr).toBe(0)
    const { id } = (JSON.parse(created.stdout) as { manifest: ReleaseManifest }).manifest
    const listed = await runCli(['release', 'list', '--json'], { cwd: reader, env })
    expect(listed.code, listed.stderr).toBe(0)
    expect((JSON.parse(listed.stdout) as ReleaseManifest[]).map((r) => [r.id, r.name])).toEqual([
      [id, 'v1'],
    ])
    const store = await openStore(team, '/')
    try {
      expect((await store.releases.list({})).map((r) => r.id)).toEqual([id])
    } finally {
      await store.close()
    }

    // Unset: the config error names the file, the line of store: and the variable, for a
    // command that loads the whole config and for one that reads only store:.
    const missing = await Promise.all([
      runCli(['release', 'create'], { cwd: reader }),
      runCli(['release', 'list'], { cwd: reader }),
    ])
    for (const result of missing) {
      expect(result.code).toBe(2)
      expect(result.stderr).toContain(
        'shipgate.yaml:5:8: store: env:TEAM_DATABASE_URL names the environment variable TEAM_DATABASE_URL, which is not set',
      )
    }
    for (const dir of [writer, reader]) {
      expect(existsSync(join(dir, '.shipgate/shipgate.db')), dir).toBe(false)
    }
    for (const { stdout, stderr } of [created, listed, ...missing]) {
      expect(`${stdout}\n${stderr}`).not.toContain(server.password)
    }
  })

  /** The one release in the store. */
  async function onlyRelease(): Promise<string> {
    const store = await openStore(url, '/')
    try {
      const releases = await store.releases.list({})
      expect(releases).toHaveLength(1)
      return (releases[0] as ReleaseManifest).id
    } finally {
      await store.close()
    }
  }
})

/**
 * The shipgate steps of the deploy job `init --ci github` writes for the `local` target, after
 * checking that the secret reaches them as SHIPGATE_DATABASE_URL, and that GitLab's jobs run
 * the same commands.
 */
async function workflowSteps(dir: string): Promise<Step[]> {
  for (const ci of ['github', 'gitlab']) {
    const init = await runCli(['init', '--ci', ci], { cwd: dir })
    expect(init.code, init.stderr).toBe(0)
  }
  const workflow = parseYaml(
    readFileSync(join(dir, '.github/workflows/shipgate-deploy.yml'), 'utf8'),
  ) as { env: Record<string, string>; jobs: Record<string, { steps: Step[] }> }
  expect(workflow.env.SHIPGATE_DATABASE_URL).toBe('${{ secrets.SHIPGATE_DATABASE_URL }}')
  const steps = (workflow.jobs.local?.steps ?? []).filter((s) => s.run?.startsWith('npx shipgate'))
  const gitlab = parseYaml(readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8')) as Record<
    string,
    { script?: string[] }
  >
  const lab = ['deploy-local', 'verify-local', 'rollback-local'].flatMap(
    (job) => gitlab[job]?.script ?? [],
  )
  expect(lab).toEqual(steps.map((s) => s.run))
  return steps
}
