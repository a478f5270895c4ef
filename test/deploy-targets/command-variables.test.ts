import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createCanaryRouter } from '../../packages/runtime/src/canary/index.js'
import { loadConfig } from '../../src/config/load.js'
import { createCommandTarget } from '../../src/deploy-targets/command/index.js'
import { targetSchema, type CommandTargetConfig } from '../../src/deploy-targets/schemas.js'
import { ConfigError, type ConfigIssue } from '../../src/errors.js'
import { silentLogger } from '../../src/logger.js'
import { minimalConfig, tempProject } from '../helpers/project.js'
import { calls, context, fakeCli, release } from './helpers.js'

/*
 * The command target's variables canary (`canary: variables`): a fake `railway` keeps its
 * variables in a file, as Railway keeps them per service, and the runtime SDK's canary router
 * reads that file, so each test checks what users are served, not only which commands ran.
 */

/** `railway variables set K=V` stores K in railway.vars.json; `railway fail` exits 1. */
const RAILWAY = `
const file = 'railway.vars.json'
if (args[0] === 'fail' || process.env.FAIL_ON === args[2]?.split('=')[0]) { console.error('railway: unauthorized'); process.exit(1) }
if (args[0] === 'variables' && args[1] === 'set') {
  const [key, value] = args[2].split('=')
  const vars = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {}
  vars[key] = value
  fs.writeFileSync(file, JSON.stringify(vars))
}
`

const variablesTarget = (extra: Partial<CommandTargetConfig> = {}): CommandTargetConfig => ({
  type: 'command',
  url: 'https://agent.up.railway.app',
  canary: 'variables',
  setVariables: 'railway variables set {{ key }}={{ value }} --service agent',
  timeout: '10m',
  env: ['RAILWAY_TOKEN'],
  ...extra,
})

function setup(extra: Partial<CommandTargetConfig> = {}, env: Record<string, string> = {}) {
  const dir = tempProject({})
  const bin = fakeCli(dir, 'railway', RAILWAY, ['RELEASE_ID', 'SHIPGATE_RELEASE'])
  const ctx = context(dir, {
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    HOME: dir,
    RAILWAY_TOKEN: 'rw-token',
    ...env,
  })
  const target = createCommandTarget('railway', variablesTarget(extra), { logger: silentLogger })
  const vars = (): Record<string, string> => {
    const file = join(dir, 'railway.vars.json')
    return existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>)
      : {}
  }
  // The service's router, reading the platform's variables at every choice.
  const router = createCanaryRouter({ env: vars, logger: { warn: () => undefined } })
  const served = (): Record<string, number> => {
    const counts: Record<string, number> = {}
    for (let i = 0; i < 10_000; i++) {
      const { version } = router.choose(`user-${i}`)
      counts[version] = (counts[version] ?? 0) + 1
    }
    return counts
  }
  const sets = () =>
    calls(dir, 'railway')
      .filter((c) => c.args[0] === 'variables')
      .map((c) => c.args[2])
  return { dir, ctx, target, vars, served, sets }
}

const A = release('rel-aaaaaaaaaaaa', { name: 'v1' })
const B = release('rel-bbbbbbbbbbbb', { name: 'v2' })
const request = { deploymentId: 'dep-1', release: B, previous: A }

describe('the command target with canary: variables', () => {
  it('steps a canary up by CANARY_VERSION and CANARY_PERCENTAGE and promotes B to RELEASE_ID', async () => {
    const { ctx, target, vars, served, sets } = setup()
    await target.apply({ deploymentId: 'dep-0', release: A, previous: null }, ctx)
    expect(vars()).toEqual({ RELEASE_ID: A.id, CANARY_PERCENTAGE: '0' })
    expect(served()).toEqual({ [A.id]: 10_000 })

    expect(await target.apply(request, ctx)).toEqual({
      ok: true,
      detail: `no deploy command: users stay on ${A.id} until traffic shifts to ${B.id}`,
    })
    expect(sets()).toHaveLength(2)
    expect(await target.shiftTraffic?.(request, 5, ctx)).toEqual({
      ok: true,
      detail: `set CANARY_VERSION=${B.id}, CANARY_PERCENTAGE=5`,
    })
    const atFive = served()[B.id] ?? 0
    expect(atFive).toBeGreaterThan(400)
    expect(atFive).toBeLessThan(600)
    expect((await target.shiftTraffic?.(request, 50, ctx))?.ok).toBe(true)
    expect(served()[B.id]).toBeGreaterThan(4_700)
    expect(await target.shiftTraffic?.(request, 100, ctx)).toEqual({
      ok: true,
      detail: `set RELEASE_ID=${B.id}, CANARY_PERCENTAGE=0`,
    })
    expect(sets().slice(2)).toEqual([
      `CANARY_VERSION=${B.id}`,
      'CANARY_PERCENTAGE=5',
      'CANARY_PERCENTAGE=50',
      `RELEASE_ID=${B.id}`,
      'CANARY_PERCENTAGE=0',
    ])
    expect(vars()).toEqual({ RELEASE_ID: B.id, CANARY_VERSION: B.id, CANARY_PERCENTAGE: '0' })
    expect(served()).toEqual({ [B.id]: 10_000 })
  })

  it('rolls a canary back by its variables alone: 0%, and the stable release named again', async () => {
    const { dir, ctx, target, vars, served, sets } = setup()
    await target.apply({ deploymentId: 'dep-0', release: A, previous: null }, ctx)
    await target.shiftTraffic?.(request, 25, ctx)
    expect(served()[B.id]).toBeGreaterThan(2_000)
    expect(await target.rollback(B, A, ctx)).toEqual({
      ok: true,
      detail: `set CANARY_PERCENTAGE=0, RELEASE_ID=${A.id}`,
    })
    expect(sets().slice(-2)).toEqual(['CANARY_PERCENTAGE=0', `RELEASE_ID=${A.id}`])
    expect(vars()).toMatchObject({ RELEASE_ID: A.id, CANARY_PERCENTAGE: '0' })
    expect(served()).toEqual({ [A.id]: 10_000 })
    // No code was deployed, so none is rolled back.
    expect(calls(dir, 'railway').every((c) => c.args[0] === 'variables')).toBe(true)
  })

  it('sets the canary version again on a new deploy, and only the percentage within one', async () => {
    const { ctx, target, sets } = setup()
    await target.shiftTraffic?.(request, 5, ctx)
    await target.shiftTraffic?.(request, 10, ctx)
    await target.shiftTraffic?.({ ...request, deploymentId: 'dep-2' }, 5, ctx)
    expect(sets()).toEqual([
      `CANARY_VERSION=${B.id}`,
      'CANARY_PERCENTAGE=5',
      'CANARY_PERCENTAGE=10',
      `CANARY_VERSION=${B.id}`,
      'CANARY_PERCENTAGE=5',
    ])
  })

  it('makes a first release the stable version at apply, and does not set it twice', async () => {
    const { ctx, target, sets } = setup()
    const first = { deploymentId: 'dep-0', release: A, previous: null }
    expect(await target.apply(first, ctx)).toEqual({
      ok: true,
      detail: `set RELEASE_ID=${A.id}, CANARY_PERCENTAGE=0`,
    })
    expect(await target.shiftTraffic?.(first, 100, ctx)).toEqual({
      ok: true,
      detail: `${A.id} is the stable version already`,
    })
    expect(sets()).toEqual([`RELEASE_ID=${A.id}`, 'CANARY_PERCENTAGE=0'])
  })

  it('ships and rolls back code too when deploy and rollback are given, with RELEASE_ID in their env', async () => {
    const { dir, ctx, target, sets } = setup({
      deploy: 'railway up --service agent --detach',
      rollback: 'railway rollback --service agent',
    })
    const applied = await target.apply(request, ctx)
    expect(applied).toEqual({
      ok: true,
      detail: `railway up --service agent --detach; users stay on ${A.id} until traffic shifts to ${B.id}`,
    })
    expect(sets()).toEqual([])
    expect((await target.rollback(B, A, ctx)).ok).toBe(true)
    const recorded = calls(dir, 'railway')
    expect(recorded.map((c) => c.args.slice(0, 3))).toEqual([
      ['up', '--service', 'agent'],
      ['variables', 'set', 'CANARY_PERCENTAGE=0'],
      ['variables', 'set', `RELEASE_ID=${A.id}`],
      ['rollback', '--service', 'agent'],
    ])
    expect(recorded[0]?.env).toEqual({ RELEASE_ID: B.id, SHIPGATE_RELEASE: B.id })
    expect(recorded[3]?.env).toEqual({ RELEASE_ID: A.id, SHIPGATE_RELEASE: A.id })
    // setVariables is about no release: the service's own RELEASE_ID is the variable it sets.
    expect(recorded[1]?.env).toEqual({ RELEASE_ID: null, SHIPGATE_RELEASE: null })
  })

  it('plans the variables it would set, without running anything', async () => {
    const { dir, ctx, target } = setup()
    const plan = await target.plan(request, ctx)
    const set = 'railway variables set'
    expect(plan.actions).toEqual([
      `${set} CANARY_VERSION=${B.id} --service agent  # canary: at the first weight`,
      `${set} CANARY_PERCENTAGE=<weight> --service agent  # canary: at each weight under 100`,
      `${set} RELEASE_ID=${B.id} --service agent  # at 100%: promoted`,
      `${set} CANARY_PERCENTAGE=0 --service agent  # at 100%: promoted`,
      `${set} CANARY_PERCENTAGE=0 --service agent  # on a rollback instead`,
      `${set} RELEASE_ID=${A.id} --service agent  # on a rollback instead`,
    ])
    const first = await target.plan({ ...request, previous: null }, ctx)
    expect(first.actions).toEqual([
      `${set} RELEASE_ID=${B.id} --service agent  # first release: all users at once`,
      `${set} CANARY_PERCENTAGE=0 --service agent  # first release: all users at once`,
    ])
    expect(calls(dir, 'railway')).toEqual([])
  })

  it('stops at a variable that cannot be set, as a failed step', async () => {
    const { ctx, target, sets } = setup(
      { env: ['RAILWAY_TOKEN', 'FAIL_ON'] },
      { FAIL_ON: 'CANARY_PERCENTAGE' },
    )
    const outcome = await target.shiftTraffic?.(request, 5, ctx)
    expect(outcome).toMatchObject({
      ok: false,
      reason: 'railway variables set CANARY_PERCENTAGE=5 --service agent: exited with code 1',
      detail: 'railway: unauthorized',
    })
    expect(sets()).toEqual([`CANARY_VERSION=${B.id}`, 'CANARY_PERCENTAGE=5'])
  })
})

describe('the command target without canary: variables', () => {
  it('gives the deploy, shiftTraffic and rollback commands the release id as RELEASE_ID', async () => {
    const { dir, ctx } = setup()
    const target = createCommandTarget(
      'railway',
      {
        type: 'command',
        deploy: 'railway up',
        rollback: 'railway rollback',
        shiftTraffic: 'railway traffic {{ percent }}',
        timeout: '1m',
        env: [],
      },
      { logger: silentLogger },
    )
    await target.apply(request, ctx)
    await target.shiftTraffic?.(request, 30, ctx)
    await target.rollback(B, A, ctx)
    await target.rollback(B, null, ctx)
    expect(calls(dir, 'railway').map((c) => c.env.RELEASE_ID)).toEqual([B.id, B.id, A.id, null])
  })
})

async function issuesOf(target: string): Promise<ConfigIssue[]> {
  const dir = tempProject({ 'shipgate.yaml': `${minimalConfig()}targets:\n  prod:\n${target}` })
  try {
    await loadConfig({ cwd: dir, env: {} })
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues]
    throw error
  }
  return []
}

describe('canary: variables in the config', () => {
  const base = '    type: command\n'
  const setVariables = '    setVariables: railway variables set {{ key }}={{ value }}\n'

  it('is a target of its own: no deploy or rollback command needed', async () => {
    expect(await issuesOf(`${base}    canary: variables\n${setVariables}`)).toEqual([])
    const parsed = targetSchema.safeParse({
      type: 'command',
      canary: 'variables',
      setVariables: 'x',
    })
    expect(parsed.success).toBe(true)
  })

  it('names the line of a canary: variables without setVariables', async () => {
    const issues = await issuesOf(`${base}    canary: variables\n`)
    expect(issues).toEqual([
      expect.objectContaining({
        file: 'shipgate.yaml',
        line: 17,
        message: expect.stringContaining(
          'targets.prod.canary: canary: variables sets CANARY_VERSION and CANARY_PERCENTAGE through setVariables, which is not set: add setVariables',
        ) as string,
      }),
    ])
  })

  it('refuses two ways to split traffic, and a misspelt mode', async () => {
    const both = await issuesOf(
      `${base}    canary: variables\n${setVariables}    shiftTraffic: ./traffic.sh {{ percent }}\n`,
    )
    expect(both).toEqual([
      expect.objectContaining({
        line: 19,
        message: expect.stringContaining('give one way to split traffic') as string,
      }),
    ])
    const typo = await issuesOf(`${base}    canary: variable\n${setVariables}`)
    expect(typo[0]).toMatchObject({ line: 17, hint: 'did you mean "variables"?' })
  })

  it('still needs deploy and rollback without it, and rollback only with a deploy', async () => {
    const bare = await issuesOf(`${base}${setVariables}`)
    expect(bare.map((i) => i.message)).toEqual([
      expect.stringContaining('targets.prod: missing required key "deploy"'),
    ])
    const half = await issuesOf(`${base}    deploy: railway up\n`)
    expect(half.map((i) => i.message)).toEqual([
      expect.stringContaining('targets.prod: missing required key "rollback"'),
    ])
    const orphan = await issuesOf(
      `${base}    canary: variables\n${setVariables}    rollback: railway rollback\n`,
    )
    expect(orphan).toEqual([
      expect.objectContaining({
        line: 19,
        message: expect.stringContaining(
          'rollback undoes the deploy command, and there is none',
        ) as string,
      }),
    ])
  })
})
