import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { startFakeGitHub, type FakeGitHub } from '../fakes/github.js'
import { runCli } from '../helpers/cli.js'
import { tempProject, writeFiles } from '../helpers/project.js'

/*
 * `shipgate init --ci github|gitlab`: the pipelines parse, every shipgate command in them exists
 * with those flags, and the GitHub workflow's shipgate steps run in order on the example project.
 */

const EXAMPLE = fileURLToPath(new URL('../../examples/code-review', import.meta.url))
const TOKEN = 'ghs_initCiFakeToken0123456789abcdefghijkl'
const servers: FakeGitHub[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

interface Step {
  readonly name?: string
  readonly if?: string
  readonly run?: string
}

/** The `npx shipgate ...` command lines of a pipeline file. */
function shipgateCommands(text: string): string[] {
  return [...text.matchAll(/npx shipgate ([^\n'"]+)/g)].map((m) => (m[1] as string).trim())
}

async function init(ci: string) {
  const dir = tempProject({})
  const run = await runCli(['init', '--ci', ci], { cwd: dir })
  expect(run.stderr).toContain('next: record cassettes')
  expect(run.code).toBe(0)
  return { dir, run }
}

describe('shipgate init --ci', () => {
  it('writes a GitHub workflow and a GitLab pipeline that parse, with the example project', async () => {
    const github = await init('github')
    expect(github.run.stdout).toContain('created shipgate.yaml\n')
    expect(github.run.stdout).toContain('created .github/workflows/shipgate.yml\n')
    const workflow = parseYaml(
      readFileSync(join(github.dir, '.github/workflows/shipgate.yml'), 'utf8'),
    ) as { jobs: Record<string, { steps: Step[]; needs?: string }> }
    expect(Object.keys(workflow.jobs)).toEqual(['checks', 'eval'])
    expect(workflow.jobs.eval?.needs).toBe('checks')
    const gitlab = await init('gitlab')
    const pipeline = parseYaml(readFileSync(join(gitlab.dir, '.gitlab-ci.yml'), 'utf8')) as {
      stages: string[]
      'shipgate-mr': { artifacts: { reports: { junit: string } } }
    }
    expect(pipeline.stages).toEqual(['check', 'test', 'scan', 'eval'])
    expect(pipeline['shipgate-mr'].artifacts.reports.junit).toBe('junit.xml')
    const again = await runCli(['init', '--ci', 'gitlab'], { cwd: gitlab.dir })
    expect(again.code).toBe(2)
    expect((await runCli(['init', '--ci', 'jenkins'], { cwd: gitlab.dir })).code).toBe(2)
  })

  it('uses only shipgate commands and flags that exist', async () => {
    const texts = await Promise.all(
      ['github', 'gitlab'].map(async (ci) => {
        const { dir } = await init(ci)
        const file = ci === 'github' ? '.github/workflows/shipgate.yml' : '.gitlab-ci.yml'
        return readFileSync(join(dir, file), 'utf8')
      }),
    )
    const commands = texts.flatMap(shipgateCommands)
    expect(commands.length).toBeGreaterThanOrEqual(7)
    for (const line of commands) {
      const [sub, ...rest] = line.split(/\s+/)
      const help = await runCli([sub as string, '--help'], { cwd: '/' })
      expect(help.code, line).toBe(0)
      for (const flag of rest.filter((w) => w.startsWith('-'))) {
        expect(help.stdout, `${sub} ${flag}`).toMatch(new RegExp(`(^|[ ,])${flag}\\b`, 'm'))
      }
    }
  })

  it("runs the workflow's shipgate steps in order on the example project", async () => {
    const { dir: scratch } = await init('github')
    const steps = (
      parseYaml(readFileSync(join(scratch, '.github/workflows/shipgate.yml'), 'utf8')) as {
        jobs: Record<string, { steps: Step[] }>
      }
    ).jobs
    const all = [...(steps.checks?.steps ?? []), ...(steps.eval?.steps ?? [])]
    const shipgate = (when: 'push' | 'pull_request') =>
      all.filter(
        (s) =>
          s.run?.startsWith('npx shipgate') === true &&
          (s.if === undefined ||
            !/event_name == '(push|pull_request)'/.test(s.if) ||
            s.if.includes(when)),
      )

    // The example project in a git repository; main has been through CI once.
    const dir = tempProject({})
    cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => !src.includes('.shipgate') })
    writeFiles(dir, { '.gitignore': '.shipgate/\n' })
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' })
    git('init', '-q', '-b', 'main')
    git('add', '-A')
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'base')
    const server = await startFakeGitHub({ token: TOKEN, repo: 'acme/review' })
    servers.push(server)
    const event = join(dir, '..', `event-${Date.now()}.json`)
    writeFileSync(event, JSON.stringify({ pull_request: { number: 12, labels: [] } }))
    const env = {
      GITHUB_TOKEN: TOKEN,
      GITHUB_API_URL: server.url,
      GITHUB_REPOSITORY: 'acme/review',
      GITHUB_EVENT_PATH: event,
    }
    const exec = async (step: Step) => {
      const line = (step.run as string)
        .replace('${{ github.base_ref }}', 'main')
        .replace(/^npx shipgate /, '')
      const run = await runCli(line.split(/\s+/), { cwd: dir, env })
      expect(run.code, `${step.name ?? line}: ${run.stderr}`).toBe(0)
      return run
    }

    const onMain = shipgate('push')
    expect(onMain.map((s) => s.name)).toEqual(['Secret scan', 'Eval (main)'])
    for (const step of onMain) await exec(step)
    mkdirSync(join(dir, 'baseline'))
    renameSync(join(dir, 'results.json'), join(dir, 'baseline', 'results.json'))

    // A pull request that rewords the prompt.
    git('checkout', '-q', '-b', 'reword')
    git('update-ref', 'refs/remotes/origin/main', 'main')
    const prompt = join(dir, 'prompts/code-review.user.liquid')
    writeFileSync(prompt, `${readFileSync(prompt, 'utf8')}\nBe brief.\n`)
    const onPr = shipgate('pull_request')
    expect(onPr.map((s) => s.name)).toEqual(['Secret scan', 'Eval and gate', 'PR comment'])
    const outputs = []
    for (const step of onPr) outputs.push(await exec(step))
    expect(outputs[1]?.stdout).toContain('gate passed')
    expect(outputs[1]?.stdout).toMatch(/baseline \d{8}-/)
    const comments = server.comments.get(12) ?? []
    expect(comments).toHaveLength(1)
    expect(comments[0]?.body).toContain('<!-- shipgate:pr-comment -->')
  })
})
