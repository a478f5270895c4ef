/**
 * The local target with real processes: the example agent service (built: it imports
 * @shipgate/runtime from packages/runtime/dist/) behind the supervisor's proxy.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DeployTarget, TargetContext } from '../../src/contracts/deploy.js'
import { createLocalTarget, stopLocalTarget } from '../../src/deploy-targets/local/index.js'
import type { SupervisorInfo, SupervisorState } from '../../src/deploy-targets/local/protocol.js'
import { groupAlive, pidAlive } from '../../src/utils/processes.js'
import type { LocalTargetConfig } from '../../src/deploy-targets/schemas.js'
import { silentLogger } from '../../src/logger.js'
import { tempProject } from '../helpers/project.js'
import { context, release } from './helpers.js'

const SERVER = fileURLToPath(new URL('../../examples/agent-service/server.mjs', import.meta.url))
const BUILT = fileURLToPath(new URL('../../packages/runtime/dist/index.js', import.meta.url))

const config: LocalTargetConfig = {
  type: 'local',
  command: `"${process.execPath}" "${SERVER}"`,
  port: 0,
  host: '127.0.0.1',
  healthPath: '/health',
  healthTimeout: '20s',
  healthCheck: { interval: '2s', timeout: '1s', unhealthyThreshold: 3, healthyThreshold: 2 },
  stickyHeader: 'x-user-id',
  drain: '100ms',
  env: { SERVICE_NAME: 'agent' },
}

const A = release('rel-aaaaaaaaaaaa', { name: 'v1.0.0' })
const B = release('rel-bbbbbbbbbbbb', { name: 'v1.1.0' })

/** GET `path` through the proxy: the release in /health and the proxy's release header. */
async function hit(base: string, path = '/health', user?: string) {
  const answer = await fetch(
    `${base}${path}`,
    user === undefined ? {} : { headers: { 'x-user-id': user } },
  )
  const body = (await answer.json()) as { release?: string }
  return {
    status: answer.status,
    release: body.release,
    header: answer.headers.get('x-shipgate-release'),
  }
}

async function releasesSeen(
  base: string,
  times: number,
  user?: string,
): Promise<Set<string | undefined>> {
  const seen = new Set<string | undefined>()
  for (let i = 0; i < times; i++) seen.add((await hit(base, '/health', user)).release)
  return seen
}

describe('the local target (real processes behind the supervisor)', () => {
  let ctx: TargetContext
  let target: DeployTarget
  let base: string
  let dir: string
  const pids = new Set<number>()
  const state = (): SupervisorState =>
    JSON.parse(readFileSync(join(ctx.stateDir, 'state.json'), 'utf8')) as SupervisorState
  const supervisor = (): SupervisorInfo =>
    JSON.parse(readFileSync(join(ctx.stateDir, 'supervisor.json'), 'utf8')) as SupervisorInfo
  const remember = (): void => {
    for (const i of state().instances) pids.add(i.pid)
    if (existsSync(join(ctx.stateDir, 'supervisor.json'))) pids.add(supervisor().pid)
  }

  beforeAll(() => {
    if (!existsSync(BUILT)) throw new Error('run `npm run build` first: the example imports dist/')
    dir = mkdtempSync(join(tmpdir(), 'shipgate-local-'))
    ctx = context(dir, { PATH: process.env.PATH, HOME: dir, SECRET_NOT_PASSED: 'x' })
    target = createLocalTarget('local', config, { logger: silentLogger })
  })

  afterAll(async () => {
    remember()
    await stopLocalTarget(ctx.stateDir)
    const running = [...pids].filter((pid) => pidAlive(pid) || groupAlive(pid))
    rmSync(dir, { recursive: true, force: true })
    expect(running).toEqual([])
  })

  it('deploys the first release with all traffic, named by the proxy', async () => {
    expect(
      await target.apply({ deploymentId: 'd1', release: A, previous: null }, ctx),
    ).toMatchObject({ ok: true })
    base = (await target.url(ctx)) ?? ''
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(await hit(base)).toEqual({ status: 200, release: A.id, header: A.id })
    const [instance] = state().instances
    expect(instance?.env).toMatchObject({
      RELEASE_ID: A.id,
      SHIPGATE_RELEASE: A.id,
      SERVICE_VERSION: 'v1.0.0',
      SERVICE_NAME: 'agent',
    })
    expect(instance?.env.SECRET_NOT_PASSED).toBeUndefined()
    remember()
  })

  it('starts the next release at weight 0, then splits traffic, keeping a user on one release', async () => {
    expect((await target.apply({ deploymentId: 'd2', release: B, previous: A }, ctx)).ok).toBe(true)
    remember()
    expect(await releasesSeen(base, 20)).toEqual(new Set([A.id]))
    expect(
      (await target.shiftTraffic?.({ deploymentId: 'd2', release: B, previous: A }, 50, ctx))?.ok,
    ).toBe(true)
    expect(await releasesSeen(base, 60)).toEqual(new Set([A.id, B.id]))
    const byUser = new Set<string | undefined>()
    for (const user of ['ada', 'bob', 'cy', 'dee', 'eve', 'fay', 'gus', 'hal']) {
      const seen = await releasesSeen(base, 50, user)
      expect(seen.size).toBe(1)
      byUser.add([...seen][0])
    }
    expect(byUser).toEqual(new Set([A.id, B.id]))
  })

  it('lists each instance for Prometheus (file_sd) and by direct URL', async () => {
    const instances = await target.instances?.(ctx)
    expect(instances?.map((i) => [i.releaseId, i.weight])).toEqual([
      [A.id, 50],
      [B.id, 50],
    ])
    const sd = JSON.parse(readFileSync(join(ctx.stateDir, 'prometheus-targets.json'), 'utf8')) as {
      targets: string[]
      labels: Record<string, string>
    }[]
    expect(sd.map((t) => [t.targets[0], t.labels.release])).toEqual(
      instances?.map((i) => [i.url.replace('http://', ''), i.releaseId]),
    )
    for (const i of instances ?? []) expect((await hit(i.url)).release).toBe(i.releaseId)
  })

  it('sends everything to the new release at 100%, keeping the old one idle', async () => {
    expect(
      (await target.shiftTraffic?.({ deploymentId: 'd2', release: B, previous: A }, 100, ctx))?.ok,
    ).toBe(true)
    expect(await releasesSeen(base, 30, 'ada')).toEqual(new Set([B.id]))
    expect(await releasesSeen(base, 30)).toEqual(new Set([B.id]))
    expect(state().instances.map((i) => [i.releaseId, i.weight])).toEqual([
      [A.id, 0],
      [B.id, 100],
    ])
  })

  it('is seen the same way by a new target object, as a new shipgate process would create', async () => {
    const fresh = createLocalTarget('local', config, { logger: silentLogger })
    expect(await fresh.url(ctx)).toBe(base)
    expect((await fresh.instances?.(ctx))?.map((i) => i.weight)).toEqual([0, 100])
  })

  it('rolls back instantly to the idle release and stops the bad one', async () => {
    const bad = state().instances.find((i) => i.releaseId === B.id)
    expect((await target.rollback(B, A, ctx)).ok).toBe(true)
    expect(await releasesSeen(base, 20)).toEqual(new Set([A.id]))
    expect(state().instances.map((i) => i.releaseId)).toEqual([A.id])
    expect(groupAlive(bad?.pid ?? 0)).toBe(false)
  })

  it('restarts instances with new variables without dropping a request', async () => {
    const before = state().instances[0]?.pid
    let stop = false
    const statuses: number[] = []
    const poll = (async () => {
      while (!stop) statuses.push((await hit(base)).status)
    })()
    const outcome = await target.setVariables?.({ PROMPT_VERSION: 'v2' }, ctx)
    stop = true
    await poll
    expect(outcome?.ok).toBe(true)
    remember()
    expect(statuses.length).toBeGreaterThan(5)
    expect(statuses.filter((s) => s !== 200)).toEqual([])
    const after = state().instances
    expect(after).toHaveLength(1)
    expect(after[0]?.pid).not.toBe(before)
    const answer = await fetch(`${base}/agent/query`, {
      method: 'POST',
      body: JSON.stringify({ query: 'hi', user_id: 'ada' }),
    })
    expect(((await answer.json()) as { prompt_version: string }).prompt_version).toBe('v2')
  })

  it('retires idle instances once asked', async () => {
    expect((await target.apply({ deploymentId: 'd3', release: B, previous: A }, ctx)).ok).toBe(true)
    remember()
    const idle = state().instances.find((i) => i.releaseId === B.id)
    const retire = (target as ReturnType<typeof createLocalTarget>).retire
    expect((await retire.call(target, ctx)).ok).toBe(true)
    expect(state().instances.map((i) => i.releaseId)).toEqual([A.id])
    expect(groupAlive(idle?.pid ?? 0)).toBe(false)
  })

  it('adopts running instances when the supervisor died', async () => {
    const old = supervisor()
    process.kill(old.pid, 'SIGKILL')
    while (pidAlive(old.pid)) await new Promise((r) => setTimeout(r, 20))
    expect(await target.instances?.(ctx)).toEqual([])
    base = (await target.url(ctx)) ?? ''
    remember()
    expect(supervisor().pid).not.toBe(old.pid)
    expect((await target.instances?.(ctx))?.map((i) => i.releaseId)).toEqual([A.id])
    expect((await hit(base)).release).toBe(A.id)
  })

  it('reports an instance that never gets healthy with its log, and stops it', async () => {
    const dir = tempProject({})
    const other = context(dir, { PATH: process.env.PATH, HOME: dir })
    const broken = createLocalTarget(
      'broken',
      {
        ...config,
        command: `"${process.execPath}" -e "console.error('kaput: no model'); process.exit(2)"`,
      },
      { logger: silentLogger },
    )
    try {
      const outcome = await broken.apply({ deploymentId: 'd9', release: A, previous: null }, other)
      expect(outcome.ok).toBe(false)
      expect(outcome.ok ? '' : outcome.reason).toMatch(/exited before it was healthy/)
      expect(outcome.ok ? '' : outcome.detail).toContain('kaput: no model')
      expect(await broken.instances?.(other)).toEqual([])
      expect(await hit((await broken.url(other)) ?? '')).toMatchObject({ status: 502 })
    } finally {
      await stopLocalTarget(other.stateDir)
    }
  })

  it('stops everything with stopLocalTarget', async () => {
    remember()
    await stopLocalTarget(ctx.stateDir)
    expect([...pids].filter((pid) => pidAlive(pid) || groupAlive(pid))).toEqual([])
    expect(existsSync(join(ctx.stateDir, 'supervisor.json'))).toBe(false)
    await expect(fetch(base)).rejects.toThrow()
  })
})

describe('starting the local supervisor', () => {
  it('starts one supervisor when several processes ask at the same moment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-local-start-'))
    const ctx = context(dir, { PATH: process.env.PATH, HOME: dir })
    try {
      // Four target objects, as four shipgate processes would have, ask for the URL at once.
      const targets = [1, 2, 3, 4].map(() =>
        createLocalTarget('local', config, { logger: silentLogger }),
      )
      const urls = await Promise.all(targets.map((t) => t.url(ctx)))
      expect(new Set(urls).size).toBe(1)
      expect(urls[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const info = JSON.parse(
        readFileSync(join(ctx.stateDir, 'supervisor.json'), 'utf8'),
      ) as SupervisorInfo
      expect(pidAlive(info.pid)).toBe(true)
      expect(existsSync(join(ctx.stateDir, 'supervisor.starting'))).toBe(false)
    } finally {
      await stopLocalTarget(ctx.stateDir)
      rmSync(dir, { recursive: true, force: true })
    }
  }, 30_000)
})
