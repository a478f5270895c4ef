/**
 * The local supervisor's health checks with real processes: a tiny node service that can hang
 * (SIGSTOP to its process group, or a control request after which its health endpoint never
 * answers) behind the supervisor's proxy. A hung instance is out of rotation within the
 * documented time (unhealthyThreshold × interval + timeout), traffic goes on to the healthy one,
 * requests already sent to it are not cut, it returns once it answers again, and with every
 * instance out the proxy answers 503 at once.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DeployRequest, TargetContext } from '../../src/contracts/deploy.js'
import { connect } from '../../src/deploy-targets/local/client.js'
import { countProbe } from '../../src/deploy-targets/local/health.js'
import {
  createLocalTarget,
  probeSettings,
  stopLocalTarget,
} from '../../src/deploy-targets/local/index.js'
import type { InstanceRecord, SupervisorState } from '../../src/deploy-targets/local/protocol.js'
import { stickyPoint } from '../../src/deploy-targets/local/proxy.js'
import { groupAlive, pidAlive } from '../../src/utils/processes.js'
import { localTargetSchema, type LocalTargetConfig } from '../../src/deploy-targets/schemas.js'
import { silentLogger } from '../../src/logger.js'
import * as z from '../../src/utils/zod.js'
import { context, release } from './helpers.js'

/**
 * Answers with its release; `/slow` after 1.5 s; `/hang-health` makes `/health` never answer,
 * `/heal` answer again.
 */
const SERVICE = `const http = require('node:http')
let healthHangs = false
http.createServer((req, res) => {
  const answer = (body) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ release: process.env.RELEASE_ID, ...body }))
  }
  if (req.url === '/health') return healthHangs ? undefined : answer({ status: 'healthy' })
  if (req.url === '/hang-health') return (healthHangs = true), answer({})
  if (req.url === '/heal') return (healthHangs = false), answer({})
  if (req.url === '/slow') return void setTimeout(() => answer({ slow: true }), 1500)
  answer({})
}).listen(Number(process.env.PORT), '127.0.0.1')
`

const CHECK = { interval: '200ms', timeout: '200ms', unhealthyThreshold: 3, healthyThreshold: 2 }
/** unhealthyThreshold × interval + timeout: the documented bound for taking an instance out. */
const OUT_WITHIN_MS = 3 * 200 + 200
/** healthyThreshold × interval + timeout: back in after it answers again. */
const BACK_WITHIN_MS = 2 * 200 + 200
/** A shared machine's scheduling noise on top (two cores, other suites running). */
const SLACK_MS = 1_500

const A = release('rel-aaaaaaaaaaaa', { name: 'v1' })
const B = release('rel-bbbbbbbbbbbb', { name: 'v2' })
const TO_B: DeployRequest = { deploymentId: 'd2', release: B, previous: A }

describe('the local supervisor takes a hung instance out of rotation', () => {
  let dir: string
  let ctx: TargetContext
  let base: string
  const target = () => {
    const config: LocalTargetConfig = {
      type: 'local',
      command: `"${process.execPath}" service.cjs`,
      port: 0,
      host: '127.0.0.1',
      healthPath: '/health',
      healthTimeout: '10s',
      healthCheck: CHECK,
      stickyHeader: 'x-user-id',
      drain: '0ms',
      env: {},
    }
    return createLocalTarget('local', config, { logger: silentLogger })
  }
  const state = (): SupervisorState =>
    JSON.parse(readFileSync(join(ctx.stateDir, 'state.json'), 'utf8')) as SupervisorState
  const instance = (r: { id: string }): InstanceRecord => {
    const found = state().instances.find((i) => i.releaseId === r.id)
    if (found === undefined) throw new Error(`${r.id} does not run`)
    return found
  }
  /** Waits until `release`'s health in state.json is `status`; how long that took. */
  const until = async (r: { id: string }, status: string, limitMs: number): Promise<number> => {
    const started = Date.now()
    while (instance(r).health.status !== status) {
      if (Date.now() - started > limitMs) throw new Error(`${r.id} not ${status} in ${limitMs}ms`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    return Date.now() - started
  }
  const get = async (path: string, user?: string) => {
    const answer = await fetch(`${base}${path}`, {
      headers: user === undefined ? {} : { 'x-user-id': user },
      signal: AbortSignal.timeout(3_000),
    })
    return { status: answer.status, body: (await answer.json()) as Record<string, unknown> }
  }
  // A user the sticky hash puts in A's half (A comes first at 50/50), and one in B's.
  const users = Array.from({ length: 50 }, (_, i) => `user-${i}`)
  const onA = users.find((u) => stickyPoint(u) < 0.5) ?? ''
  const onB = users.find((u) => stickyPoint(u) >= 0.5) ?? ''

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shipgate-local-health-'))
    writeFileSync(join(dir, 'service.cjs'), SERVICE)
    ctx = context(dir, { PATH: process.env.PATH, HOME: dir })
    const local = target()
    expect((await local.apply({ deploymentId: 'd1', release: A, previous: null }, ctx)).ok).toBe(
      true,
    )
    expect((await local.apply(TO_B, ctx)).ok).toBe(true)
    expect((await local.shiftTraffic?.(TO_B, 50, ctx))?.ok).toBe(true)
    base = (await local.url(ctx)) ?? ''
  }, 30_000)

  afterAll(async () => {
    const pids = state().instances.map((i) => i.pid)
    for (const pid of pids) if (groupAlive(pid)) process.kill(-pid, 'SIGCONT')
    await stopLocalTarget(ctx.stateDir)
    rmSync(dir, { recursive: true, force: true })
    expect(pids.filter((pid) => pidAlive(pid) || groupAlive(pid))).toEqual([])
  })

  it('records every instance as healthy, probed at its configured settings', async () => {
    expect((await get('/', onA)).body.release).toBe(A.id)
    expect((await get('/', onB)).body.release).toBe(B.id)
    for (const r of [A, B]) {
      expect(instance(r).health).toMatchObject({ status: 'healthy', reason: null })
      expect(instance(r).probe).toEqual({
        intervalMs: 200,
        timeoutMs: 200,
        unhealthyThreshold: 3,
        healthyThreshold: 2,
      })
    }
  })

  it('takes a stopped (SIGSTOP) instance out within the documented time, not cutting its request', async () => {
    const { pid } = instance(A)
    process.kill(-pid, 'SIGSTOP')
    // Sent to A before it is out: it waits for A, and must not be cut when A is taken out.
    const inFlight = get('/', onA)
    const took = await until(A, 'unhealthy', OUT_WITHIN_MS + SLACK_MS)
    expect(took).toBeLessThanOrEqual(OUT_WITHIN_MS + SLACK_MS)
    expect(instance(A)).toMatchObject({ weight: 50, health: { status: 'unhealthy' } })
    expect(instance(A).health.reason).toMatch(/3 health checks failed in a row: no answer within/)
    const client = await connect(ctx.stateDir)
    const live = await client?.call<SupervisorState>('GET', '/state')
    const shown = live?.ok === true ? live.value.instances : []
    expect(shown.map((i) => [i.releaseId, i.weight, i.health.status])).toEqual([
      [A.id, 50, 'unhealthy'],
      [B.id, 50, 'healthy'],
    ])

    // Every new request goes to B, A's sticky users too, answered at once.
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => get('/', i % 2 === 0 ? onA : undefined)),
    )
    expect(new Set(answers.map((a) => `${a.status} ${String(a.body.release)}`))).toEqual(
      new Set([`200 ${B.id}`]),
    )

    process.kill(-pid, 'SIGCONT')
    expect(await inFlight).toEqual({ status: 200, body: { release: A.id } })
    await until(A, 'healthy', BACK_WITHIN_MS + SLACK_MS)
    expect(instance(A).health.reason).toBeNull()
    expect((await get('/', onA)).body.release).toBe(A.id)
  }, 20_000)

  it('takes out an instance whose health endpoint stops answering, letting a slow request finish', async () => {
    const slow = get('/slow', onA)
    await new Promise((resolve) => setTimeout(resolve, 100))
    await fetch(`http://127.0.0.1:${instance(A).port}/hang-health`)
    await until(A, 'unhealthy', OUT_WITHIN_MS + SLACK_MS)
    expect((await get('/', onA)).body.release).toBe(B.id)
    expect(await slow).toEqual({ status: 200, body: { release: A.id, slow: true } })
  }, 20_000)

  it('answers 503 with a clear body, without waiting, when every instance is out', async () => {
    const { pid } = instance(B)
    process.kill(-pid, 'SIGSTOP')
    await until(B, 'unhealthy', OUT_WITHIN_MS + SLACK_MS)
    const started = Date.now()
    const answer = await get('/', onB)
    expect(Date.now() - started).toBeLessThan(1_000)
    expect(answer).toEqual({
      status: 503,
      body: {
        error: `every instance with traffic (${A.id}, ${B.id}) is failing its health checks`,
      },
    })
    process.kill(-pid, 'SIGCONT')
    await until(B, 'healthy', BACK_WITHIN_MS + SLACK_MS)
    expect(await get('/', onA)).toEqual({ status: 200, body: { release: B.id } })
  }, 20_000)

  it('keeps an instance out across a supervisor restart, and lets it back when it heals', async () => {
    const before = JSON.parse(readFileSync(join(ctx.stateDir, 'supervisor.json'), 'utf8')) as {
      pid: number
    }
    expect(instance(A).health.status).toBe('unhealthy')
    process.kill(before.pid, 'SIGKILL')
    while (pidAlive(before.pid)) await new Promise((resolve) => setTimeout(resolve, 20))
    // The next command that needs the supervisor starts one (its proxy on a new free port),
    // which adopts both instances.
    base = (await target().url(ctx)) ?? ''
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(instance(A).health.status).toBe('unhealthy')
    expect((await get('/', onA)).body.release).toBe(B.id)
    await fetch(`http://127.0.0.1:${instance(A).port}/heal`)
    await until(A, 'healthy', BACK_WITHIN_MS + SLACK_MS)
    expect((await get('/', onA)).body.release).toBe(A.id)
  }, 20_000)
})

describe('healthCheck in the local target config', () => {
  it('defaults to every 2 s, a 1 s timeout, out after 3 failures and back after 2 passes', () => {
    const parsed = z.parse(localTargetSchema, { type: 'local', command: 'node server.js' })
    expect(probeSettings(parsed.healthCheck)).toEqual({
      intervalMs: 2_000,
      timeoutMs: 1_000,
      unhealthyThreshold: 3,
      healthyThreshold: 2,
    })
    const partial = z.parse(localTargetSchema, {
      type: 'local',
      command: 'node server.js',
      healthCheck: { interval: '500ms' },
    })
    expect(probeSettings(partial.healthCheck)).toMatchObject({ intervalMs: 500, timeoutMs: 1_000 })
  })

  it('refuses a threshold below 1 and keys it does not know', () => {
    const bad = (healthCheck: unknown) =>
      z.safeParse(localTargetSchema, { type: 'local', command: 'x', healthCheck }).success
    expect(bad({ unhealthyThreshold: 0 })).toBe(false)
    expect(bad({ healthyThreshold: 1.5 })).toBe(false)
    expect(bad({ intervall: '2s' })).toBe(false)
    expect(bad({ interval: 'soon' })).toBe(false)
    expect(bad({ unhealthyThreshold: 1, healthyThreshold: 1 })).toBe(true)
  })
})

describe('countProbe', () => {
  const settings = { unhealthyThreshold: 3, healthyThreshold: 2 }
  const run = (results: boolean[], healthy: boolean) => {
    let streak = { passed: 0, failed: 0 }
    const flips: number[] = []
    results.forEach((passed, i) => {
      const counted = countProbe(streak, passed, healthy, settings)
      streak = counted.streak
      if (counted.flip) flips.push(i)
    })
    return flips
  }

  it('takes a healthy instance out at the third failure in a row, not at scattered ones', () => {
    expect(run([false, false, false], true)).toEqual([2])
    expect(run([false, false, true, false, false, true], true)).toEqual([])
    expect(run([true, false, false, false], true)).toEqual([3])
  })

  it('brings an unhealthy one back at the second pass in a row', () => {
    expect(run([true, true], false)).toEqual([1])
    expect(run([true, false, true, false], false)).toEqual([])
  })
})
