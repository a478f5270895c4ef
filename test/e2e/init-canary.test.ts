import { spawn, spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { BIN, runCli } from '../helpers/cli.js'
import { deployProject, type DeployProject } from '../helpers/deploy-project.js'
import { startLoad, type Load } from '../helpers/load.js'

/*
 * `shipgate init --ci github` with a canary rollout: the canary workflow is written for the
 * canary targets only, its shipgate commands and flags exist, and its job's steps run in bash
 * (as the runner's `bash -e`) on the local target with a loopback load: a first version goes out
 * all at once, the next as a canary that is promoted, and a re-run after the runner was lost
 * mid-canary (the deploy killed with SIGKILL) rolls the interrupted canary back, then puts the
 * version out again. Outputs, the job summary and the step conditions are the workflow's own.
 */

const ROLLOUT = `rollout:
  strategy: canary
  steps:
    - setWeight: 25
    - analysis: { duration: 6s, interval: 2s }
  analysis: { minRequests: 30, margins: { latency: 5 } }
`

interface Step {
  readonly name?: string
  readonly id?: string
  readonly if?: string
  readonly uses?: string
  readonly with?: Record<string, string>
  readonly env?: Record<string, string>
  readonly run?: string
}
interface Job {
  readonly if: string
  readonly env: Record<string, string>
  readonly steps: Step[]
}
interface Workflow {
  readonly env: Record<string, string>
  readonly jobs: Record<string, Job>
}

const workflowFile = (dir: string) => join(dir, '.github/workflows/canary-deploy.yml')

describe('shipgate init --ci github: the canary workflow', () => {
  it('is written for the targets whose rollout is a canary, with commands that exist', async () => {
    const project = await deployProject(`${ROLLOUT}`)
    try {
      const run = await runCli(['init', '--ci', 'github'], { cwd: project.dir })
      expect(run.code, run.stderr).toBe(0)
      expect(run.stdout).toContain('created .github/workflows/canary-deploy.yml\n')
      expect(run.stderr).toContain('canary workflow (by hand, with a version) for local')
      const text = readFileSync(workflowFile(project.dir), 'utf8')
      const lines = [...text.matchAll(/npx shipgate ([^\n'"|>]+)/g)].map((m) => m[1]?.trim())
      expect(new Set(lines)).toEqual(
        new Set([
          'release create --name',
          'canary status local --json',
          'deploy local --resume --take-over --json',
          'deploy local --release',
          'canary status local',
        ]),
      )
      for (const line of new Set(lines)) {
        const words = (line ?? '').split(/\s+/)
        const command = ['release', 'canary'].includes(words[0] ?? '')
          ? words.slice(0, 2)
          : words.slice(0, 1)
        const help = await runCli([...command, '--help'], { cwd: '/' })
        expect(help.stdout, line).toMatch(new RegExp(`^Usage: shipgate ${command.join(' ')} `))
        for (const flag of words.filter((w) => w.startsWith('-'))) {
          expect(help.stdout, `${line}: ${flag}`).toMatch(new RegExp(`(^|[ ,])${flag}\\b`, 'm'))
        }
      }

      // Without a canary rollout: no canary workflow, and a note saying how to get one.
      writeFileSync(
        join(project.dir, 'shipgate.yaml'),
        readFileSync(join(project.dir, 'shipgate.yaml'), 'utf8').replace(
          'strategy: canary',
          'strategy: replace',
        ),
      )
      rmSync(join(project.dir, '.github'), { recursive: true })
      const plain = await runCli(['init', '--ci', 'github'], { cwd: project.dir })
      expect(plain.code).toBe(0)
      expect(existsSync(workflowFile(project.dir))).toBe(false)
      expect(plain.stderr).toContain('no canary workflow: no target deploys as a canary')
    } finally {
      await project.remove()
    }
  }, 60_000)

  it('refuses a rollout plan that cannot run, with exit 2', async () => {
    const project = await deployProject(
      'rollout:\n  strategy: canary\n  steps: [{ setWeight: 50 }, { setWeight: 10 }]\n',
    )
    try {
      const run = await runCli(['init', '--ci', 'github'], { cwd: project.dir })
      expect(run.code).toBe(2)
      expect(run.stderr).toMatch(/rollout of local in shipgate\.yaml cannot run: step 2/)
    } finally {
      await project.remove()
    }
  }, 30_000)
})

describe("the canary workflow's job, run on the local target", () => {
  let project: DeployProject
  let load: Load | undefined
  let job: Job
  let top: Record<string, string>
  let bin: string

  beforeAll(async () => {
    project = await deployProject(
      ROLLOUT,
      { interval: '2s', duration: '4s' },
      'stickyHeader: x-user-id',
    )
    const dir = project.dir
    expect((await runCli(['init', '--ci', 'github'], { cwd: dir })).code).toBe(0)
    const workflow = parseYaml(readFileSync(workflowFile(dir), 'utf8')) as Workflow
    job = workflow.jobs.local as Job
    top = workflow.env
    // `npx shipgate` is the built CLI; the versions are tags of a repository.
    bin = join(dir, '..', `${dir.split('/').at(-1) ?? 'x'}-bin`)
    mkdirSync(bin, { recursive: true })
    writeFileSync(
      join(bin, 'npx'),
      `#!/bin/sh\n[ "$1" = shipgate ] && shift\nexec "${process.execPath}" "${BIN}" "$@"\n`,
    )
    chmodSync(join(bin, 'npx'), 0o755)
    writeFileSync(join(dir, '.gitignore'), '.shipgate/\n*.json\n*.txt\n')
    git(dir, 'init', '-q', '-b', 'main')
    commit(dir, 'v1')
    writeFileSync(join(dir, 'NOTES.md'), 'v2\n')
    commit(dir, 'v2')
    writeFileSync(join(dir, 'NOTES.md'), 'v3\n')
    commit(dir, 'v3')
  }, 60_000)

  afterAll(async () => {
    await load?.stop()
    await project?.remove()
    rmSync(bin, { recursive: true, force: true })
  })

  const git = (dir: string, ...args: string[]) =>
    spawnSync('git', args, { cwd: dir, encoding: 'utf8' }).stdout.trim()
  const commit = (dir: string, tag: string) => {
    git(dir, 'add', '-A')
    git(dir, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', tag)
    git(dir, 'tag', tag)
  }

  /** The expressions the job uses, with the run's values. */
  function expand(text: string, run: RunState): string {
    return text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expr: string) => value(expr, run))
  }
  function value(expr: string, run: RunState): string {
    if (expr === 'inputs.version') return run.version
    if (expr === 'inputs.target') return 'local'
    if (expr === 'github.run_attempt') return String(run.attempt)
    if (expr.startsWith('secrets.')) return ''
    const output = /^steps\.(\w+)\.outputs\.(\w+)$/.exec(expr)
    if (output !== null) return run.outputs[output[1] ?? '']?.[output[2] ?? ''] ?? ''
    const outcome = /^steps\.(\w+)\.outcome$/.exec(expr)
    if (outcome !== null) return run.outcomes[outcome[1] ?? ''] ?? ''
    throw new Error(`the test runner does not know ${expr}`)
  }
  /** `if:` as the runner decides it: `always()`, or `A == 'b'` / `A != 'b'` after success. */
  function condition(expr: string | undefined, run: RunState): boolean {
    if (expr === 'always()') return true
    if (run.failed) return false
    if (expr === undefined) return true
    const match = /^(\S+) (==|!=) '([^']*)'$/.exec(expr)
    if (match === null) throw new Error(`the test runner does not know if: ${expr}`)
    const equal = value(match[1] ?? '', run) === match[3]
    return match[2] === '==' ? equal : !equal
  }

  interface RunState {
    readonly version: string
    readonly attempt: number
    readonly outputs: Record<string, Record<string, string>>
    readonly outcomes: Record<string, string>
    failed: boolean
    summary: string
    /** The steps' stderr, for the failure messages. */
    readonly log: string[]
  }

  function stepEnv(step: Step, run: RunState, files: { output: string; summary: string }) {
    const env: Record<string, string> = { ...(process.env as Record<string, string>) }
    for (const name of ['CI', 'GITHUB_ACTIONS', 'GITHUB_EVENT_PATH', 'GITHUB_TOKEN'])
      delete env[name]
    for (const [k, v] of Object.entries({ ...top, ...job.env, ...step.env }))
      env[k] = expand(v, run)
    return {
      ...env,
      NO_COLOR: '1',
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
    }
  }

  /**
   * Runs the job's steps for `version` as attempt `attempt`; `onStep` may take over a step (to
   * kill it). Returns each step's outcome, its outputs and the job summary.
   */
  async function runJob(
    version: string,
    attempt: number,
    onStep?: (step: Step, start: () => ReturnType<typeof spawn>) => Promise<number | undefined>,
  ): Promise<RunState> {
    const dir = project.dir
    const run: RunState = {
      version,
      attempt,
      outputs: {},
      outcomes: {},
      failed: false,
      summary: '',
      log: [],
    }
    expect(condition(job.if, run)).toBe(true)
    const summary = join(bin, `summary-${Date.now()}.md`)
    writeFileSync(summary, '')
    for (const step of job.steps) {
      if (step.uses?.startsWith('actions/checkout') === true) {
        git(dir, 'checkout', '-q', expand(step.with?.ref ?? '', run))
        continue
      }
      if (step.uses !== undefined || step.run === 'npm ci') continue
      const id = step.id ?? `step-${job.steps.indexOf(step)}`
      if (!condition(step.if, run)) {
        run.outcomes[id] = 'skipped'
        continue
      }
      const output = join(bin, `output-${Date.now()}`)
      writeFileSync(output, '')
      const start = () =>
        spawn('bash', ['-e', '-c', step.run ?? ''], {
          cwd: dir,
          env: stepEnv(step, run, { output, summary }),
          stdio: ['ignore', 'inherit', 'pipe'],
          detached: true,
        })
      const code = (await onStep?.(step, start)) ?? (await exitOf(start(), run.log))
      run.outcomes[id] = code === 0 ? 'success' : 'failure'
      if (code !== 0) run.failed = true
      run.outputs[id] = Object.fromEntries(
        readFileSync(output, 'utf8')
          .split('\n')
          .filter((l) => l.includes('='))
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      )
    }
    run.summary = readFileSync(summary, 'utf8')
    return run
  }

  it('puts the first version out at once and the next as a canary that is promoted', async () => {
    // The monitor after each deploy and the canary analysis judge this traffic.
    load = startLoad(project.url, { concurrency: 4, pauseMs: 10 })
    const first = await runJob('v1', 1)
    expect(first.outcomes, first.log.join('')).toMatchObject({
      release: 'success',
      deploy: 'success',
    })
    expect(first.outcomes.resume).toBe('skipped')
    const v1 = first.outputs.release?.id ?? ''
    expect(v1).toMatch(/^rel-[0-9a-f]{12}$/)
    expect(await project.release()).toBe(v1)
    expect(first.summary).toContain('### Canary of v1 on local: success')

    const second = await runJob('v2', 1)
    const v2 = second.outputs.release?.id ?? ''
    expect(second.outcomes, second.summary).toMatchObject({ deploy: 'success' })
    expect(v2).not.toBe(v1)
    expect(await project.release()).toBe(v2)
    expect(load.byRelease()[v2]).toBeGreaterThan(30)
    expect(second.log.join('')).toMatch(/canary 1\/3 passed: .*25%/)
    expect(second.summary).toContain('### Canary of v2 on local: success')
    expect(second.summary).toMatch(new RegExp(`${v2} over ${v1} on local, succeeded`))
    expect(second.summary).toMatch(
      /2\/3 analyze for 6s, every 2s: passed: no metric significantly worse/,
    )
  }, 120_000)

  it('re-run after the runner was lost mid-canary: rolls the canary back, then puts the version out', async () => {
    const stable = await project.release()
    const lost = await runJob('v3', 1, async (step, start) => {
      if (step.id !== 'deploy') return undefined
      const child = start()
      let status = ''
      const deadline = Date.now() + 30_000
      while (!/2\/3 running: analyze/.test(status) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 300))
        status = (await runCli(['canary', 'status', 'local'], { cwd: project.dir })).stdout
      }
      // The runner is gone: bash and the deploy with it, no signal handler runs.
      process.kill(-(child.pid ?? 0), 'SIGKILL')
      await exitOf(child)
      return 137
    })
    expect(lost.outcomes.deploy).toBe('failure')
    const v3 = lost.outputs.release?.id ?? ''
    expect(lost.summary).toMatch(new RegExp(`${v3} over ${stable ?? ''} on local, running`))

    const rerun = await runJob('v3', 2)
    expect(rerun.outcomes, `${rerun.summary}\n${rerun.log.join('')}`).toMatchObject({
      release: 'success',
      resume: 'success',
      deploy: 'success',
    })
    expect(rerun.outputs.release?.id).toBe(v3)
    const resumed = JSON.parse(readFileSync(join(project.dir, 'resumed.json'), 'utf8')) as {
      deployment: { status: string; releaseId: string; reason: string }
    }
    expect(resumed.deployment).toMatchObject({ status: 'rolled_back', releaseId: v3 })
    expect(resumed.deployment.reason).toContain('the deploy stopped during canary')
    expect(await project.release()).toBe(v3)
    expect(rerun.summary).toMatch(new RegExp(`${v3} over ${stable ?? ''} on local, succeeded`))
  }, 120_000)
})

/** Waits for a step's shell; its exit code, and its stderr appended to `log`. */
function exitOf(child: ReturnType<typeof spawn>, log: string[] = []): Promise<number> {
  child.stderr?.on('data', (d: Buffer) => log.push(d.toString()))
  return new Promise((resolve) => child.on('close', (code) => resolve(code ?? 137)))
}
