/**
 * `serveAnalysis`: the canary analysis endpoint, measured the way Argo's `web` provider measures
 * it (argo-web.ts), over the endpoint metric source reading two releases of the real runtime SDK
 * (the example agent service) side by side; and its query, auth and error answers.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src/logger.js'
import {
  serveAnalysis,
  type AnalysisAnswer,
  type RunningAnalysis,
} from '../../../src/workflows/analysis/index.js'
import { sendQueries, startAgent } from '../../metric-sources/agent-service.js'
import { freePort } from '../../helpers/services.js'
import { minimalConfig, tempProject } from '../../helpers/project.js'
import { measure, type WebMetric } from './argo-web.js'
import { aggregate } from './fleet.js'

const nowhere = async () => `http://127.0.0.1:${await freePort()}`

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()))
})

/** The metric an AnalysisTemplate would hold (the generated one is tested in manifests.test.ts). */
const metricFor = (
  url: string,
  headers: WebMetric['provider']['web']['headers'] = [],
): WebMetric => ({
  name: 'shipgate',
  successCondition: 'result == "passing"',
  failureCondition: 'result == "failed"',
  provider: {
    web: {
      url: `${url}/analysis?canary={{ args.canary-release }}&stable={{ args.stable-release }}&interval=1m`,
      headers,
      jsonPath: '{$.verdict}',
    },
  },
})

async function serve(
  spec: string,
  more: { tokenEnv?: string; env?: Record<string, string>; cwd?: string } = {},
): Promise<RunningAnalysis> {
  const analysis = await serveAnalysis({
    cwd: more.cwd ?? mkdtempSync(join(tmpdir(), 'shipgate-analysis-')),
    env: more.env ?? {},
    spec,
    port: 0,
    tokenEnv: more.tokenEnv,
    logger: silentLogger,
  })
  running.push(analysis)
  return analysis
}

describe('the analysis endpoint on two releases of the runtime SDK', () => {
  it('judges by the config’s rollout.analysis, as a canary deploy does', async () => {
    const [canary, stable] = await Promise.all([
      startAgent({ RELEASE_ID: 'canary-good' }),
      startAgent({ RELEASE_ID: 'stable' }),
    ])
    const cwd = tempProject({
      'shipgate.yaml': `${minimalConfig()}rollout:\n  analysis: { minRequests: 500 }\n`,
    })
    const analysis = await serve(await aggregate([canary, stable]), { cwd })
    const metric = metricFor(analysis.url)
    const args = { 'canary-release': 'canary-good', 'stable-release': 'stable' }
    await measure(metric, args)
    await sendQueries(canary.url, 120, 'good')
    await sendQueries(stable.url, 150, 'stable')
    const answer = await measure(metric, args)
    expect(answer.body).toMatchObject({
      verdict: 'inconclusive',
      reason: '120 canary requests, fewer than the 500 the analysis needs',
    })
  })

  it('answers inconclusive, then failed for a canary with many more errors, passing for a good one', async () => {
    const [bad, good, stable] = await Promise.all([
      startAgent({ RELEASE_ID: 'canary-bad', FAULT_ERROR_RATE: '0.5' }),
      startAgent({ RELEASE_ID: 'canary-good' }),
      startAgent({ RELEASE_ID: 'stable' }),
    ])
    const analysis = await serve(await aggregate([bad, good, stable]))
    expect(analysis.source).toBe('endpoint')
    const metric = metricFor(analysis.url)
    const args = (canary: string) => ({ 'canary-release': canary, 'stable-release': 'stable' })
    // The endpoint source cannot look back: each pair's first call primes.
    for (const canary of ['canary-bad', 'canary-good']) {
      const first = await measure(metric, args(canary))
      expect(first.phase).toBe('Inconclusive')
      expect(first.body).toMatchObject({
        verdict: 'inconclusive',
        ok: false,
        failed: false,
        intervals: 0,
      })
    }
    const badStatuses = await sendQueries(bad.url, 60, 'bad')
    await sendQueries(good.url, 120, 'good')
    await sendQueries(stable.url, 150, 'stable')
    const failed = await measure(metric, args('canary-bad'))
    expect(failed.phase).toBe('Failed')
    const answer = failed.body as AnalysisAnswer
    expect(answer).toMatchObject({
      verdict: 'failed',
      ok: false,
      failed: true,
      canary: { release: 'canary-bad', requests: 60 },
      stable: { release: 'stable', requests: 150 },
      intervals: 1,
    })
    const errorRate = answer.metrics.find((m) => m.metric === 'error-rate')
    expect(errorRate).toMatchObject({ failed: true, stable: 0 })
    expect(errorRate?.canary).toBe(badStatuses.filter((s) => s === 500).length / 60)
    expect(answer.reason).toMatch(/^error rate .* on the canary against 0\.00% on stable/)
    // The good canary's pair kept its own deltas: its 120 requests, the same 150 of stable.
    const passing = await measure(metric, args('canary-good'))
    expect(passing.phase).toBe('Successful')
    expect(passing.body).toMatchObject({
      verdict: 'passing',
      ok: true,
      failed: false,
      canary: { requests: 120 },
      stable: { requests: 150 },
    })
    expect(Date.parse((passing.body as AnalysisAnswer).until ?? '')).toBeGreaterThan(0)
  }, 60_000)

  it('answers 503 with verdict error when the metrics cannot be read: an Argo measurement error', async () => {
    const analysis = await serve(await nowhere())
    const result = await measure(metricFor(analysis.url), {
      'canary-release': 'a',
      'stable-release': 'b',
    })
    expect(result).toMatchObject({ phase: 'Error', status: 503 })
    expect(result.body).toMatchObject({ verdict: 'error', ok: false, failed: false, metrics: [] })
    expect((result.body as AnalysisAnswer).reason).toMatch(
      /^metrics could not be read: .*connection refused/,
    )
  })
})

describe('the analysis endpoint: queries and tokens', () => {
  it('answers a bad query 400 with the reason, other paths 404 and other methods 405', async () => {
    const analysis = await serve(await nowhere())
    const get = async (query: string) => {
      const response = await fetch(`${analysis.url}/analysis?${query}`)
      return { status: response.status, body: (await response.json()) as AnalysisAnswer }
    }
    expect(await get('stable=b')).toMatchObject({
      status: 400,
      body: { verdict: 'error', reason: 'canary (a release id) is required' },
    })
    expect((await get('canary=a&stable=a')).body.reason).toBe(
      'canary and stable are the same release',
    )
    expect((await get('canary=a&stable=b&interval=5')).body.reason).toMatch(/^interval must be/)
    expect((await get('canary=a&stable=b&since=yesterday')).body.reason).toMatch(/^since must be/)
    expect((await get('canary=a&stable=b&since=2d&interval=1m')).body.reason).toMatch(
      /more than 1440 intervals/,
    )
    expect((await get(`canary=a%00&stable=b`)).body.reason).toBe('canary is not a release id')
    expect((await fetch(`${analysis.url}/elsewhere`)).status).toBe(404)
    expect(
      (await fetch(`${analysis.url}/analysis?canary=a&stable=b`, { method: 'POST' })).status,
    ).toBe(405)
    expect((await fetch(`${analysis.url}/healthz`)).status).toBe(200)
  })

  it('asks for the bearer token from the named variable, compared exactly', async () => {
    const token = 'analysis-token-7f3a9c1e'
    const analysis = await serve(await nowhere(), {
      tokenEnv: 'ANALYSIS_TOKEN',
      env: { ANALYSIS_TOKEN: token },
    })
    const ask = (authorization?: string) =>
      fetch(`${analysis.url}/analysis?canary=a&stable=b`, {
        headers: authorization === undefined ? {} : { authorization },
      })
    expect((await ask()).status).toBe(401)
    expect((await ask(`Bearer ${token}x`)).status).toBe(401)
    expect((await ask(token)).status).toBe(401)
    // Past the token: the (unreachable) metrics.
    expect((await ask(`Bearer ${token}`)).status).toBe(503)
    const metric = metricFor(analysis.url, [
      { key: 'Authorization', value: 'Bearer {{ args.token }}' },
    ])
    const measured = await measure(metric, { 'canary-release': 'a', 'stable-release': 'b', token })
    expect(measured.status).toBe(503)
  })

  it('refuses to listen beyond loopback without a token, or with its variable unset', async () => {
    const options = {
      cwd: tmpdir(),
      env: {},
      spec: await nowhere(),
      port: 0,
      logger: silentLogger,
    }
    await expect(serveAnalysis({ ...options, host: '0.0.0.0' })).rejects.toThrow(
      'the analysis endpoint on 0.0.0.0 is reachable from other machines and needs a token',
    )
    await expect(serveAnalysis({ ...options, tokenEnv: 'NOT_SET' })).rejects.toThrow(
      'environment variable NOT_SET (--token-env) is not set',
    )
  })
})
