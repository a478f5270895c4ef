/**
 * `argoManifests`: the generated Rollout and AnalysisTemplate validate against the vendored Argo
 * Rollouts CRDs (../shared/vendor/argo-rollouts/, their openAPIV3Schema with unknown fields
 * refused: Kubernetes would prune them silently), and the template's `web` metric, measured as
 * Argo measures it, reads `shipgate analysis serve`'s verdict.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv } from 'ajv'
import { parse } from 'yaml'
import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src/logger.js'
import {
  argoManifests,
  parseStep,
  serveAnalysis,
  type Manifest,
  type RunningAnalysis,
} from '../../../src/workflows/analysis/index.js'
import { sendQueries, startAgent } from '../../metric-sources/agent-service.js'
import { assess, measure, type Phase, type WebMetric } from './argo-web.js'
import { aggregate } from './fleet.js'

/** The vendored references beside the repository (CI: /tmp/ci/shared beside /tmp/ci/main). */
const VENDOR = fileURLToPath(new URL('../../../../shared/vendor/argo-rollouts/', import.meta.url))

/** A validator of `crd`'s schema, refusing fields the schema does not declare. */
function validator(crd: string): (manifest: unknown) => string[] {
  const path = join(VENDOR, crd)
  if (!existsSync(path)) throw new Error(`${path} is missing: the vendored Argo CRDs are test data`)
  const doc = parse(readFileSync(path, 'utf8')) as {
    spec: { versions: { schema: { openAPIV3Schema: unknown } }[] }
  }
  const schema = closed(doc.spec.versions[0]?.schema.openAPIV3Schema)
  const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(
    schema as object,
  )
  return (manifest) =>
    validate(manifest) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`)
}

/**
 * The schema without Kubernetes' `x-kubernetes-*` keywords, and with `additionalProperties:
 * false` on objects that list their properties and do not preserve unknown fields.
 */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed)
  if (typeof schema !== 'object' || schema === null) return schema
  const entries = Object.entries(schema).filter(([k]) => !k.startsWith('x-kubernetes-'))
  const out: Record<string, unknown> = Object.fromEntries(
    entries.map(([k, v]) => [k, k === 'properties' ? mapValues(v, closed) : closed(v)]),
  )
  const preserves =
    (schema as Record<string, unknown>)['x-kubernetes-preserve-unknown-fields'] === true
  if ('properties' in out && !('additionalProperties' in out) && !preserves) {
    out.additionalProperties = false
  }
  return out
}

function mapValues(value: unknown, f: (v: unknown) => unknown): unknown {
  return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, f(v)]))
}

const validRollout = validator('rollout-crd.yaml')
const validTemplate = validator('analysis-template-crd.yaml')

const BASE = {
  service: 'agent',
  image: 'registry.example.com/agent:3f9c1a7',
  canaryRelease: 'rel-3f9c1a7be204',
  stableRelease: 'rel-0a1b2c3d4e5f',
  analysisUrl: 'http://shipgate-analysis.agents:8790',
}

const stepsOf = (rollout: Manifest) =>
  (rollout.spec as { strategy: { canary: { steps: unknown[] } } }).strategy.canary.steps
const metricOf = (template: Manifest) =>
  (template.spec as { metrics: WebMetric[] }).metrics[0] as WebMetric

describe('argoManifests', () => {
  it('writes the default plan (5% → analysis → 100%) as manifests the CRDs accept', () => {
    const { rollout, analysisTemplate, yaml } = argoManifests(BASE)
    expect(validRollout(rollout)).toEqual([])
    expect(validTemplate(analysisTemplate)).toEqual([])
    expect(stepsOf(rollout)).toEqual([
      { setWeight: 5 },
      {
        analysis: {
          templates: [{ templateName: 'agent-shipgate-analysis' }],
          args: [
            { name: 'canary-release', value: 'rel-3f9c1a7be204' },
            { name: 'stable-release', value: 'rel-0a1b2c3d4e5f' },
          ],
        },
      },
      { setWeight: 100 },
    ])
    expect(metricOf(analysisTemplate)).toMatchObject({
      interval: '1m',
      count: 10,
      failureLimit: 0,
      inconclusiveLimit: 9,
      successCondition: 'result == "passing"',
      failureCondition: 'result == "failed"',
      provider: {
        web: {
          url: 'http://shipgate-analysis.agents:8790/analysis?canary={{ args.canary-release }}&stable={{ args.stable-release }}&interval=1m',
          jsonPath: '{$.verdict}',
        },
      },
    })
    // One YAML stream, the template first (the Rollout refers to it).
    expect(yaml.split(/^---$/m).map((d) => (parse(d) as Manifest).kind)).toEqual([
      'AnalysisTemplate',
      'Rollout',
    ])
  })

  it('writes explicit steps, a namespace and the token from a Secret, still valid', () => {
    const steps = ['setWeight=20', 'pause=30s', 'analysis', 'pause', 'setWeight=50'].map(parseStep)
    const { rollout, analysisTemplate } = argoManifests({
      ...BASE,
      steps,
      namespace: 'agents',
      tokenSecret: { name: 'shipgate-analysis', key: 'token' },
      intervalMs: 30_000,
      count: 6,
    })
    expect(validRollout(rollout)).toEqual([])
    expect(validTemplate(analysisTemplate)).toEqual([])
    expect(stepsOf(rollout).map((s) => Object.keys(s as object)[0])).toEqual([
      'setWeight',
      'pause',
      'analysis',
      'pause',
      'setWeight',
    ])
    expect(stepsOf(rollout)[1]).toEqual({ pause: { duration: '30s' } })
    expect(stepsOf(rollout)[3]).toEqual({ pause: {} })
    expect((analysisTemplate.spec as { args: unknown[] }).args).toContainEqual({
      name: 'token',
      valueFrom: { secretKeyRef: { name: 'shipgate-analysis', key: 'token' } },
    })
    expect(metricOf(analysisTemplate).provider.web.headers).toEqual([
      { key: 'Authorization', value: 'Bearer {{ args.token }}' },
    ])
  })

  it('is checked by validators that refuse what the CRDs refuse', () => {
    const { rollout, analysisTemplate } = argoManifests(BASE)
    const spec = rollout.spec as Record<string, unknown>
    const misspelled = {
      ...rollout,
      spec: { ...spec, strategy: { canary: { steps: [{ setWeigth: 5 }] } } },
    }
    expect(validRollout(misspelled).join()).toMatch(/must NOT have additional properties/)
    const wrongType = { ...rollout, spec: { ...spec, replicas: 'five' } }
    expect(validRollout(wrongType).join()).toMatch(/\/spec\/replicas must be integer/)
    const noProvider = { ...analysisTemplate, spec: { metrics: [{ name: 'x' }] } }
    expect(validTemplate(noProvider).join()).toMatch(/must have required property 'provider'/)
  })

  it('refuses names, URLs and steps Kubernetes or Argo would not take', () => {
    expect(() => argoManifests({ ...BASE, service: 'Agent_1' })).toThrow('is not a Kubernetes name')
    expect(() => argoManifests({ ...BASE, analysisUrl: 'shipgate:8790' })).toThrow(
      'is not an http(s) base URL',
    )
    expect(() => argoManifests({ ...BASE, steps: [{ setWeight: 120 }] })).toThrow(
      'not a percentage',
    )
    expect(() => parseStep('weight=5')).toThrow('is not a canary step')
  })
})

const running: RunningAnalysis[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()))
})

describe("the generated template's web metric against analysis serve", () => {
  it("aborts a bad canary and promotes a good one, as Argo's AnalysisRun would assess them", async () => {
    const token = 'template-token-90c2e7b4'
    const [bad, good, stable] = await Promise.all([
      startAgent({ RELEASE_ID: 'rel-bad', FAULT_ERROR_RATE: '0.5' }),
      startAgent({ RELEASE_ID: 'rel-good' }),
      startAgent({ RELEASE_ID: 'rel-stable' }),
    ])
    const analysis = await serveAnalysis({
      cwd: mkdtempSync(join(tmpdir(), 'shipgate-argo-')),
      env: { ANALYSIS_TOKEN: token },
      spec: await aggregate([bad, good, stable]),
      port: 0,
      tokenEnv: 'ANALYSIS_TOKEN',
      logger: silentLogger,
    })
    running.push(analysis)
    const runs = ['rel-bad', 'rel-good'].map((canary) => {
      const { rollout, analysisTemplate } = argoManifests({
        ...BASE,
        canaryRelease: canary,
        stableRelease: 'rel-stable',
        analysisUrl: analysis.url,
        tokenSecret: { name: 'shipgate-analysis', key: 'token' },
        count: 2,
      })
      const step = stepsOf(rollout)[1] as { analysis: { args: { name: string; value: string }[] } }
      // The AnalysisRun's arguments: the step's values, and the Secret's value for `token`.
      const args: Record<string, string> = { token }
      for (const a of step.analysis.args) args[a.name] = a.value
      const metric = metricOf(analysisTemplate)
      return {
        metric,
        args,
        limits: { ...(metric as unknown as Limits), consecutiveErrorLimit: 4 },
      }
    })
    const phases: Phase[][] = [[], []]
    for (const [i, run] of runs.entries())
      phases[i]!.push((await measure(run.metric, run.args)).phase)
    await Promise.all([
      sendQueries(bad.url, 60, 'b'),
      sendQueries(good.url, 120, 'g'),
      sendQueries(stable.url, 150, 's'),
    ])
    for (const [i, run] of runs.entries())
      phases[i]!.push((await measure(run.metric, run.args)).phase)
    expect(phases).toEqual([
      ['Inconclusive', 'Failed'],
      ['Inconclusive', 'Successful'],
    ])
    expect(assess(phases[0]!, runs[0]!.limits)).toBe('Failed')
    expect(assess(phases[1]!, runs[1]!.limits)).toBe('Successful')
    // Without the Secret's token the measurement is an error, never a verdict.
    await expect(
      measure(runs[0]!.metric, { ...runs[0]!.args, token: 'wrong' }),
    ).resolves.toMatchObject({
      phase: 'Error',
      status: 401,
    })
  }, 60_000)
})

interface Limits {
  count: number
  failureLimit: number
  inconclusiveLimit: number
}
