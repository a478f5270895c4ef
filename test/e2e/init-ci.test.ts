import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { startFakeGitHub, type FakeGitHub } from '../fakes/github.js'
import { runCli } from '../helpers/cli.js'
import { tempProject, writeFiles } from '../helpers/project.js'

/** What actions/upload-artifact's `artifact-url` output looks like. */
const ARTIFACT_URL = 'https://github.com/acme/review/actions/runs/7/artifacts/9'

/*
 * `shipgate init --ci github|gitlab`: the pipelines parse, every shipgate command in them exists
 * with those flags, and the GitHub workflow's shipgate steps run in order on the example project.
 * The CD workflows: staging then production behind an environment, rollback on a failed check,
 * a manual rollback with its inputs, an hourly health check; secrets only into env.
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
  readonly uses?: string
  readonly id?: string
}

interface Job {
  readonly steps: Step[]
  readonly needs?: string
  readonly if?: string
  readonly environment?: string
  readonly env?: Record<string, string>
}

const WORKFLOWS = ['shipgate', 'shipgate-deploy', 'shipgate-rollback', 'shipgate-health'].map(
  (name) => `.github/workflows/${name}.yml`,
)

/** Every string in a parsed YAML document with the keys that lead to it. */
function strings(value: unknown, path: string[] = []): { path: string[]; text: string }[] {
  if (typeof value === 'string') return [{ path, text: value }]
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, [...path, String(i)]))
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => strings(v, [...path, k]))
  }
  return []
}

/** The `npx shipgate ...` command lines of a pipeline file. */
function shipgateCommands(text: string): string[] {
  return [...text.matchAll(/npx shipgate ([^\n'"]+)/g)].map((m) => (m[1] as string).trim())
}

async function init(ci: string, ...flags: string[]) {
  const dir = tempProject({})
  const run = await runCli(['init', '--ci', ci, ...flags], { cwd: dir })
  expect(run.stderr).toContain('next: record cassettes (npx shipgate eval --record)')
  expect(run.code).toBe(0)
  return { dir, run }
}

const git = (dir: string, ...args: string[]) =>
  execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })

describe('shipgate init --ci', () => {
  it('writes a GitHub workflow and a GitLab pipeline that parse, with the example project', async () => {
    const github = await init('github', '--cd')
    expect(github.run.stdout).toContain('created shipgate.yaml\n')
    for (const file of WORKFLOWS) expect(github.run.stdout).toContain(`created ${file}\n`)
    const workflow = parseYaml(
      readFileSync(join(github.dir, '.github/workflows/shipgate.yml'), 'utf8'),
    ) as { jobs: Record<string, Job> }
    expect(Object.keys(workflow.jobs)).toEqual(['checks', 'eval'])
    expect(workflow.jobs.eval?.needs).toBe('checks')
    const gitlab = await init('gitlab', '--cd')
    const pipeline = parseYaml(readFileSync(join(gitlab.dir, '.gitlab-ci.yml'), 'utf8')) as {
      stages: string[]
      'shipgate-mr': { artifacts: { reports: { junit: string } } }
    }
    expect(pipeline.stages).toEqual(['check', 'test', 'scan', 'eval', 'staging', 'production'])
    expect(pipeline['shipgate-mr'].artifacts.reports.junit).toBe('junit.xml')
    const again = await runCli(['init', '--ci', 'gitlab'], { cwd: gitlab.dir })
    expect(again.code).toBe(2)
    const forced = await runCli(['init', '--ci', 'github', '--force'], { cwd: github.dir })
    expect(forced.code).toBe(0)
    expect(forced.stdout).not.toContain('shipgate.yaml')
    expect((await runCli(['init', '--ci', 'jenkins'], { cwd: gitlab.dir })).code).toBe(2)
  })

  it('uses only shipgate commands and flags that exist', async () => {
    const texts = await Promise.all(
      ['github', 'gitlab'].map(async (ci) => {
        const { dir } = await init(ci, '--cd')
        const files = ci === 'github' ? WORKFLOWS : ['.gitlab-ci.yml']
        return files.map((file) => readFileSync(join(dir, file), 'utf8')).join('\n')
      }),
    )
    const commands = [...new Set(texts.flatMap(shipgateCommands))]
    expect(commands.length).toBeGreaterThanOrEqual(15)
    for (const line of commands) {
      const words = line.split(/\s+/)
      // `release create` is a subcommand; `deploy staging` takes an argument.
      const command = words[0] === 'release' ? words.slice(0, 2) : words.slice(0, 1)
      const rest = words.slice(command.length)
      const help = await runCli([...command, '--help'], { cwd: '/' })
      expect(help.code, line).toBe(0)
      // An unknown command prints the program's help and exits 0 too.
      expect(help.stdout, line).toMatch(new RegExp(`^Usage: shipgate ${command.join(' ')} `))
      for (const flag of rest.filter((w) => w.startsWith('-'))) {
        expect(help.stdout, `${command.join(' ')} ${flag}`).toMatch(
          new RegExp(`(^|[ ,])${flag}\\b`, 'm'),
        )
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
      // As the runner's bash reads the line: an optional flag comes from the step's env.
      const words = execFileSync('bash', ['-c', `printf '%s\\0' ${line}`], {
        env: { PATH: process.env.PATH, REPORT_URL: ARTIFACT_URL },
        encoding: 'utf8',
      })
        .split('\0')
        .slice(0, -1)
      const run = await runCli(words, { cwd: dir, env })
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
    expect(comments[0]?.body).toContain(`[The HTML report](${ARTIFACT_URL})`)
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('Against baseline')
  })
})

describe('shipgate init --ci: CD only for targets, on the default branch', () => {
  it('writes no deploy, rollback or health jobs when shipgate.yaml has no targets', async () => {
    const github = await init('github')
    expect(github.run.stdout).toContain('created .github/workflows/shipgate.yml\n')
    expect(github.run.stdout).not.toContain('shipgate-deploy')
    expect(existsSync(join(github.dir, '.github/workflows/shipgate-health.yml'))).toBe(false)
    expect(github.run.stderr).toContain('shipgate.yaml has no targets')
    const gitlab = await init('gitlab')
    const pipeline = parseYaml(readFileSync(join(gitlab.dir, '.gitlab-ci.yml'), 'utf8')) as Record<
      string,
      unknown
    >
    expect(pipeline.stages).toEqual(['check', 'test', 'scan', 'eval'])
    for (const job of ['deploy-staging', 'rollback', 'health-check']) {
      expect(pipeline[job], job).toBeUndefined()
    }
  })

  it("writes CD jobs for the configured targets, in the config's order", async () => {
    const dir = tempProject({})
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0)
    const config = join(dir, 'shipgate.yaml')
    writeFileSync(
      config,
      `${readFileSync(config, 'utf8')}targets:\n  preview: { type: command, url: 'http://127.0.0.1:1', deploy: 'true', rollback: 'true' }\n  live: { type: command, url: 'http://127.0.0.1:2', deploy: 'true', rollback: 'true' }\n`,
    )
    const run = await runCli(['init', '--ci', 'github'], { cwd: dir })
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain('CD jobs for preview, live')
    const deploy = parseYaml(
      readFileSync(join(dir, '.github/workflows/shipgate-deploy.yml'), 'utf8'),
    ) as { jobs: Record<string, Job> }
    expect(Object.keys(deploy.jobs)).toEqual(['preview', 'live'])
    expect(deploy.jobs.live?.needs).toBe('preview')
    const health = readFileSync(join(dir, '.github/workflows/shipgate-health.yml'), 'utf8')
    expect(shipgateCommands(health)).toEqual(['monitor live --once'])
    const lab = await runCli(['init', '--ci', 'gitlab'], { cwd: dir })
    const pipeline = parseYaml(readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8')) as Record<
      string,
      { needs?: string[] }
    >
    expect(lab.code).toBe(0)
    expect(pipeline.stages).toEqual(['check', 'test', 'scan', 'eval', 'preview', 'live'])
    expect(pipeline['deploy-live']?.needs).toEqual(['verify-preview'])
  })

  it("uses the repository's default branch: origin/HEAD, else the current branch, else main", async () => {
    const branchOf = (dir: string) =>
      (
        parseYaml(readFileSync(join(dir, '.github/workflows/shipgate.yml'), 'utf8')) as {
          on: { push: { branches: string[] } }
        }
      ).on.push.branches
    const plain = await init('github')
    expect(branchOf(plain.dir)).toEqual(['main'])

    const dir = tempProject({})
    git(dir, 'init', '-q', '-b', 'develop')
    expect((await runCli(['init', '--ci', 'github'], { cwd: dir })).code).toBe(0)
    expect(branchOf(dir)).toEqual(['develop'])

    git(dir, 'add', '-A')
    git(dir, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'x')
    git(dir, 'update-ref', 'refs/remotes/origin/trunk', 'HEAD')
    git(dir, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/trunk')
    expect((await runCli(['init', '--ci', 'github', '--cd', '--force'], { cwd: dir })).code).toBe(0)
    expect(branchOf(dir)).toEqual(['trunk'])
    const ci = readFileSync(join(dir, '.github/workflows/shipgate.yml'), 'utf8')
    expect(ci).toContain('gh run list --branch trunk ')
    expect(ci).not.toMatch(/\bmain\b/)
    const deploy = parseYaml(
      readFileSync(join(dir, '.github/workflows/shipgate-deploy.yml'), 'utf8'),
    ) as { on: { workflow_run: { branches: string[] } } }
    expect(deploy.on.workflow_run.branches).toEqual(['trunk'])
  })

  it('gives GitLab workflow rules: merge request pipelines, no duplicate branch pipelines', async () => {
    const { dir } = await init('gitlab', '--cd')
    const text = readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8')
    const pipeline = parseYaml(text) as { workflow: { rules: { if: string; when?: string }[] } }
    expect(pipeline.workflow.rules).toEqual([
      { if: '$CI_PIPELINE_SOURCE == "merge_request_event"' },
      { if: '$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS', when: 'never' },
      { if: '$CI_COMMIT_BRANCH' },
    ])
    // GitLab knows the default branch: no branch name is written into the pipeline.
    expect(text).not.toMatch(/"main"|\/main\//)
    expect(text).toContain('$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH')
  })
})

describe('shipgate init --ci: the CD pipelines', () => {
  const read = (dir: string, file: string): unknown =>
    parseYaml(readFileSync(join(dir, file), 'utf8')) as unknown

  it('deploys what passed CI to staging, then production behind its environment', async () => {
    const { dir } = await init('github', '--cd')
    const deploy = read(dir, '.github/workflows/shipgate-deploy.yml') as {
      on: { workflow_run: { workflows: string[]; types: string[]; branches: string[] } }
      jobs: Record<string, Job>
    }
    expect(deploy.on.workflow_run).toEqual({
      workflows: ['shipgate'],
      types: ['completed'],
      branches: ['main'],
    })
    expect(Object.keys(deploy.jobs)).toEqual(['staging', 'production'])
    expect(deploy.jobs.staging?.if).toContain("github.event.workflow_run.conclusion == 'success'")
    expect(deploy.jobs.staging?.environment).toBe('staging')
    expect(deploy.jobs.production?.needs).toBe('staging')
    expect(deploy.jobs.production?.environment).toBe('production')
    for (const target of ['staging', 'production']) {
      const steps = deploy.jobs[target]?.steps ?? []
      const shipgate = steps.filter((s) => s.run?.startsWith('npx shipgate') === true)
      expect(shipgate.map((s) => s.run)).toEqual([
        'npx shipgate release create',
        `npx shipgate deploy ${target}`,
        `npx shipgate smoke ${target}`,
        `npx shipgate monitor ${target} --duration 5m`,
        `npx shipgate rollback ${target}`,
      ])
      // Only the rollback runs after a failure, and only once the deploy step had succeeded.
      expect(shipgate.map((s) => s.if)).toEqual([
        undefined,
        undefined,
        undefined,
        undefined,
        "failure() && steps.deploy.outcome == 'success'",
      ])
      expect(shipgate[1]?.id).toBe('deploy')
    }
  })

  it('rolls back by hand with target, to and only, and checks health every hour', async () => {
    const { dir } = await init('github', '--cd')
    const rollback = read(dir, '.github/workflows/shipgate-rollback.yml') as {
      on: { workflow_dispatch: { inputs: Record<string, Record<string, unknown>> } }
      jobs: Record<string, Job>
    }
    const inputs = rollback.on.workflow_dispatch.inputs
    expect(Object.keys(inputs)).toEqual(['target', 'to', 'only'])
    expect(inputs.target).toMatchObject({ type: 'choice', required: true, default: 'production' })
    expect(inputs.to).toMatchObject({ type: 'string', required: false })
    expect(inputs.only).toMatchObject({
      options: ['all', 'code', 'prompt', 'model'],
      default: 'all',
    })
    const step = rollback.jobs.rollback?.steps.find((s) => s.name === 'Roll back') as Step & {
      env: Record<string, string>
    }
    expect(step.run).toBe('npx shipgate rollback "$TARGET" --only "$ONLY" ${TO:+--to "$TO"}')
    expect(step.env).toEqual({
      TARGET: '${{ inputs.target }}',
      TO: '${{ inputs.to }}',
      ONLY: '${{ inputs.only }}',
    })
    // The shell's expansion of the optional --to, as the runner's bash does it.
    const argv = (to: string) =>
      execFileSync(
        'bash',
        ['-c', `printf '%s|' rollback "$TARGET" --only "$ONLY" \${TO:+--to "$TO"}`],
        {
          env: { TARGET: 'production', ONLY: 'prompt', TO: to },
          encoding: 'utf8',
        },
      )
    expect(argv('')).toBe('rollback|production|--only|prompt|')
    expect(argv('rel-3f2a')).toBe('rollback|production|--only|prompt|--to|rel-3f2a|')

    const health = read(dir, '.github/workflows/shipgate-health.yml') as {
      on: { schedule: { cron: string }[] }
      jobs: Record<string, Job>
    }
    expect(health.on.schedule).toEqual([{ cron: '0 * * * *' }])
    expect(health.jobs.health?.steps.map((s) => s.run).filter(Boolean)).toEqual([
      'npm ci',
      'npx shipgate monitor production --once',
    ])
  })

  it('passes secrets only through env, and pins every action', async () => {
    const { dir } = await init('github', '--cd')
    const found = new Set<string>()
    for (const file of WORKFLOWS) {
      const all = strings(read(dir, file))
      for (const { path, text } of all.filter((s) => s.text.includes('secrets.'))) {
        expect(path.at(-2), `${file}: ${path.join('.')}`).toBe('env')
        const match = /^\$\{\{ secrets\.([A-Z_]+) \}\}$/.exec(text)
        expect(match?.[1], text).toBe(path.at(-1))
        found.add(path.at(-1) as string)
      }
      for (const { text } of all.filter((s) => s.path.at(-1) === 'uses')) {
        expect(text).toMatch(/^[\w-]+\/[\w-]+(\/[\w-]+)?@v\d+$/)
      }
    }
    expect([...found].sort()).toEqual([
      'RAILWAY_TOKEN',
      'SHIPGATE_DATABASE_URL',
      'SHIPGATE_WEBHOOK_SECRET',
      'SLACK_WEBHOOK_URL',
    ])
  })

  it('gives GitLab the same stages, production started by hand', async () => {
    const { dir } = await init('gitlab', '--cd')
    type GitlabJob = {
      stage: string
      needs?: string[]
      extends?: string
      rules?: { if?: string; when?: string }[]
      script: string[]
      allow_failure?: boolean
    }
    const pipeline = read(dir, '.gitlab-ci.yml') as Record<string, GitlabJob>
    const job = (name: string) => pipeline[name] as GitlabJob
    expect(job('deploy-staging').needs).toEqual(['shipgate-main'])
    expect(job('deploy-staging').script).toEqual([
      'npx shipgate release create',
      'npx shipgate deploy staging',
    ])
    expect(job('verify-staging').script).toEqual([
      'npx shipgate smoke staging',
      'npx shipgate monitor staging --duration 5m',
    ])
    expect(job('rollback-staging').rules?.[0]?.when).toBe('on_failure')
    expect(job('deploy-production').needs).toEqual(['verify-staging'])
    expect(job('deploy-production').rules?.[0]?.when).toBe('manual')
    expect(job('deploy-production').allow_failure).toBe(false)
    expect(job('rollback-production').needs).toEqual(['verify-production'])
    expect(job('rollback-production').rules?.[0]?.when).toBe('on_failure')
    expect(job('rollback').rules?.[0]?.when).toBe('manual')
    expect(job('health-check').rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "schedule"' }])
    expect(job('health-check').script).toEqual(['npx shipgate monitor production --once'])
    // The CI jobs stay out of the scheduled pipeline.
    for (const name of ['quick-checks', 'unit-tests', 'secret-scan']) {
      expect(job(name).extends).toBe('.ci')
    }
    expect(job('shipgate-main').rules?.[0]?.if).toContain('$CI_PIPELINE_SOURCE != "schedule"')
  })
})
