/**
 * The manual canary workflow `init --ci github` writes: which targets get it (their rollout is a
 * canary), the job's timeout from the planned rollout, and the workflow's structure, parsed.
 */
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { canaryTargets, SETUP_MINUTES } from '../../../src/workflows/init/canary.js'
import { CANARY_WORKFLOW, githubCanary } from '../../../src/workflows/init/canary-github.js'
import { ciTemplates } from '../../../src/workflows/init/ci.js'

const TARGETS = ['staging', 'production']

interface Step {
  readonly name?: string
  readonly id?: string
  readonly if?: string
  readonly uses?: string
  readonly with?: Record<string, unknown>
  readonly env?: Record<string, string>
  readonly run?: string
}
interface Job {
  readonly if: string
  readonly environment: string
  readonly 'timeout-minutes': number
  readonly concurrency: { group: string; 'cancel-in-progress': boolean }
  readonly env: Record<string, string>
  readonly steps: Step[]
}
interface Workflow {
  readonly name: string
  readonly on: { workflow_dispatch: { inputs: Record<string, Record<string, unknown>> } }
  readonly permissions: Record<string, string>
  readonly env: Record<string, string>
  readonly jobs: Record<string, Job>
}

const workflowOf = (doc: Record<string, unknown>): Workflow =>
  parse(githubCanary(canaryTargets(doc, TARGETS))) as Workflow

describe('which targets deploy as a canary', () => {
  it('none without rollout:, or with strategy replace', () => {
    expect(canaryTargets({}, TARGETS)).toEqual([])
    expect(canaryTargets({ rollout: { strategy: 'replace' } }, TARGETS)).toEqual([])
    expect(
      ciTemplates('github', { branch: 'main', targets: TARGETS, canary: [] }),
    ).not.toHaveProperty(CANARY_WORKFLOW)
  })

  it('every target with strategy canary, less those whose own strategy is replace', () => {
    const doc = { rollout: { strategy: 'canary', targets: { staging: { strategy: 'replace' } } } }
    expect(canaryTargets(doc, TARGETS).map((t) => t.name)).toEqual(['production'])
    const own = { rollout: { targets: { staging: { strategy: 'canary' } } } }
    expect(canaryTargets(own, TARGETS).map((t) => t.name)).toEqual(['staging'])
  })

  it('times the default plan: 15m analysis, 60s health wait, 5m monitor, plus setup', () => {
    const [target] = canaryTargets({ rollout: { strategy: 'canary' } }, ['production'])
    expect(target).toEqual({
      name: 'production',
      plan: '5% → analysis 15m → 100%',
      plannedMs: (15 + 1 + 5) * 60_000,
      timeoutMinutes: 21 + SETUP_MINUTES,
    })
  })

  it('counts pauses, per-step analyses, extensions, and no monitor when deploy.monitor is off', () => {
    const doc = {
      rollout: {
        strategy: 'canary',
        steps: [
          { setWeight: 10 },
          { analysis: { duration: '10m' } },
          { setWeight: 50 },
          { pause: { duration: '5m' } },
          { analysis: {} },
        ],
        analysis: { duration: '20m', onInconclusive: 'extend', maxExtensions: 1 },
      },
      deploy: { monitor: false, healthTimeout: '2m' },
    }
    const [target] = canaryTargets(doc, ['production'])
    // 10m×2 + 5m + 20m×2 + 2m health; the plan is promoted at its end.
    expect(target?.plan).toBe('10% → analysis 10m → 50% → pause 5m → analysis 20m → 100%')
    expect(target?.plannedMs).toBe((20 + 5 + 40 + 2) * 60_000)
    expect(target?.timeoutMinutes).toBe(67 + SETUP_MINUTES)
  })

  it("gives GitHub's 6 hours to a rollout that waits for a person, or plans longer", () => {
    const until = { rollout: { strategy: 'canary', steps: [{ setWeight: 5 }, { pause: {} }] } }
    expect(canaryTargets(until, ['p'])[0]).toMatchObject({ plannedMs: null, timeoutMinutes: 360 })
    const person = { rollout: { strategy: 'canary', analysis: { onInconclusive: 'pause' } } }
    expect(canaryTargets(person, ['p'])[0]?.timeoutMinutes).toBe(360)
    const long = { rollout: { strategy: 'canary', analysis: { duration: '8h' } } }
    expect(canaryTargets(long, ['p'])[0]?.timeoutMinutes).toBe(360)
    expect(githubCanary(canaryTargets(long, ['p']))).toContain('use a self-hosted runner')
  })

  it('refuses a rollout that cannot run, naming the key', () => {
    const bad = { rollout: { strategy: 'canary', steps: [{ setWeight: 50 }, { setWeight: 10 }] } }
    expect(() => canaryTargets(bad, TARGETS)).toThrow(/rollout of staging .* cannot run: step 2/)
    const typo = { rollout: { strategy: 'canery' } }
    expect(() => canaryTargets(typo, TARGETS)).toThrow(
      /rollout\.strategy in shipgate\.yaml is not valid/,
    )
    const monitor = { rollout: { strategy: 'canary' }, monitor: { duration: 'soon' } }
    expect(() => canaryTargets(monitor, TARGETS)).toThrow(/monitor\.duration/)
  })
})

describe('the canary workflow', () => {
  const doc = { rollout: { strategy: 'canary' } }

  it('is dispatched by hand with a required version and a choice of the canary targets', () => {
    const workflow = workflowOf(doc)
    expect(workflow.name).toBe('shipgate canary')
    expect(Object.keys(workflow.on)).toEqual(['workflow_dispatch'])
    expect(workflow.on.workflow_dispatch.inputs).toEqual({
      version: expect.objectContaining({ type: 'string', required: true }) as unknown,
      target: expect.objectContaining({
        type: 'choice',
        options: ['production', 'staging'],
        default: 'production',
        required: true,
      }) as unknown,
    })
    expect(workflow.permissions).toEqual({ contents: 'read' })
  })

  it('has one job per target: its environment, one concurrency group, a timeout for the plan', () => {
    const { jobs } = workflowOf(doc)
    expect(Object.keys(jobs)).toEqual(TARGETS)
    for (const target of TARGETS) {
      const job = jobs[target] as Job
      expect(job.if).toBe(`inputs.target == '${target}'`)
      expect(job.environment).toBe(target)
      expect(job.concurrency).toEqual({ group: `shipgate-${target}`, 'cancel-in-progress': false })
      expect(job['timeout-minutes']).toBe(21 + SETUP_MINUTES)
    }
  })

  it('checks the version out, records it, resumes on a re-run, deploys, and writes a summary', () => {
    const job = workflowOf(doc).jobs.production as Job
    expect(job.steps[0]).toEqual({
      uses: 'actions/checkout@v4',
      with: { ref: '${{ inputs.version }}' },
    })
    const named = job.steps.filter((s) => s.name !== undefined)
    expect(named.map((s) => [s.name, s.id, s.if])).toEqual([
      ['Release', 'release', undefined],
      ['Finish an interrupted canary', 'resume', "github.run_attempt != '1'"],
      ['Canary deploy', 'deploy', "steps.resume.outputs.done != 'true'"],
      ['Job summary', undefined, 'always()'],
    ])
    const deploy = named[2] as Step
    expect(deploy.run).toBe('npx shipgate deploy production --release "$RELEASE" > deploy.txt')
    expect(deploy.env).toEqual({ RELEASE: '${{ steps.release.outputs.id }}' })
    expect(named[3]?.run).toContain('>> "$GITHUB_STEP_SUMMARY"')
  })

  it('lets inputs and secrets reach the shell only as environment variables', () => {
    const text = githubCanary(canaryTargets(doc, TARGETS))
    for (const line of text.split('\n').filter((l) => l.includes('${{'))) {
      // Expressions only in env values, job conditions, the checkout ref and comments.
      expect(line, line).toMatch(/^\s*([A-Z_]+: |env: \{ |with: \{ ref: |if: |#)/)
    }
    const workflow = workflowOf(doc)
    expect(workflow.env.SHIPGATE_DATABASE_URL).toBe('${{ secrets.SHIPGATE_DATABASE_URL }}')
    expect(workflow.jobs.production?.env).toEqual({
      RAILWAY_TOKEN: '${{ secrets.RAILWAY_TOKEN }}',
    })
  })
})
