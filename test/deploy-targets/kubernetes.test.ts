import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createKubernetesTarget } from '../../src/deploy-targets/kubernetes/index.js'
import type { KubernetesTargetConfig } from '../../src/deploy-targets/schemas.js'
import { silentLogger } from '../../src/logger.js'
import { tempProject } from '../helpers/project.js'
import { calls, context, fakeCli, release } from './helpers.js'

// Fails `rollout status` when FAIL_ROLLOUT=1, the way kubectl does when pods never get ready.
const KUBECTL = `
if (process.env.FAIL_ROLLOUT === '1' && args.includes('rollout') && args.includes('status')) {
  process.stderr.write('error: deployment "agent" exceeded its progress deadline\\n')
  process.exit(1)
}
`

function setup(extra: Partial<KubernetesTargetConfig> = {}, env: Record<string, string> = {}) {
  const dir = tempProject({})
  const bin = fakeCli(dir, 'kubectl', KUBECTL)
  const config: KubernetesTargetConfig = {
    type: 'kubernetes',
    deployment: 'agent',
    image: 'registry.example/agent:{{ release.code.commit }}',
    kubectl: join(bin, 'kubectl'),
    timeout: '2m',
    ...extra,
  }
  const ctx = context(dir, { PATH: process.env.PATH, HOME: dir, ...env })
  return { dir, ctx, target: createKubernetesTarget('prod', config, { logger: silentLogger }) }
}

const A = release('rel-aaaaaaaaaaaa', { commit: 'aaa111' })
const B = release('rel-bbbbbbbbbbbb', { commit: 'bbb222', env: { PROMPT_VERSION: 'v2' } })
const args = (dir: string): string[][] => calls(dir, 'kubectl').map((c) => c.args)

describe('the kubernetes target, driving a fake kubectl', () => {
  it('applies manifests, sets the image and the release env, then waits for the rollout', async () => {
    const { dir, ctx, target } = setup({
      context: 'prod-cluster',
      namespace: 'agents',
      container: 'app',
      manifests: 'k8s/',
    })
    const outcome = await target.apply({ deploymentId: 'd1', release: B, previous: A }, ctx)
    expect(outcome.ok).toBe(true)
    const g = ['--context', 'prod-cluster', '--namespace', 'agents']
    expect(args(dir)).toEqual([
      [...g, 'apply', '-f', 'k8s/'],
      [...g, 'set', 'image', 'deployment/agent', 'app=registry.example/agent:bbb222'],
      [
        ...g,
        'set',
        'env',
        'deployment/agent',
        'PROMPT_VERSION=v2',
        `RELEASE_ID=${B.id}`,
        `SHIPGATE_RELEASE=${B.id}`,
      ],
      [...g, 'rollout', 'status', 'deployment/agent', '--timeout=120s'],
    ])
  })

  it('verifies with the client version and the Deployment, and plans without running kubectl', async () => {
    const { dir, ctx, target } = setup()
    expect((await target.verify(ctx)).ok).toBe(true)
    expect(args(dir)).toEqual([
      ['version', '--client'],
      ['get', 'deployment/agent'],
    ])
    const plan = await target.plan({ deploymentId: 'd1', release: A, previous: null }, ctx)
    expect(plan.actions.map((a) => a.replace(/^\S+kubectl /, 'kubectl '))).toEqual([
      'kubectl set image deployment/agent agent=registry.example/agent:aaa111',
      `kubectl set env deployment/agent RELEASE_ID=${A.id} SHIPGATE_RELEASE=${A.id}`,
      'kubectl rollout status deployment/agent --timeout=120s',
    ])
    expect(args(dir)).toHaveLength(2)
  })

  it('rolls back with rollout undo and sets variables with set env', async () => {
    const { dir, ctx, target } = setup()
    expect((await target.rollback(B, A, ctx)).ok).toBe(true)
    expect((await target.setVariables?.({ PROMPT_VERSION: 'v1' }, ctx))?.ok).toBe(true)
    expect(args(dir)).toEqual([
      ['rollout', 'undo', 'deployment/agent'],
      ['rollout', 'status', 'deployment/agent', '--timeout=120s'],
      ['set', 'env', 'deployment/agent', 'PROMPT_VERSION=v1'],
      ['rollout', 'status', 'deployment/agent', '--timeout=120s'],
    ])
  })

  it('reports a rollout that does not finish as a failed step with kubectl’s error', async () => {
    const { ctx, target } = setup({}, { FAIL_ROLLOUT: '1' })
    const outcome = await target.apply({ deploymentId: 'd1', release: B, previous: A }, ctx)
    expect(outcome).toMatchObject({
      ok: false,
      detail: 'error: deployment "agent" exceeded its progress deadline',
    })
    expect(outcome.ok ? '' : outcome.reason).toMatch(
      /rollout status deployment\/agent .*exited with code 1$/,
    )
  })

  it('reports a missing kubectl as a failed step', async () => {
    const { ctx, target } = setup({ kubectl: '/nonexistent/kubectl' })
    const outcome = await target.verify(ctx)
    expect(outcome.ok).toBe(false)
    expect(outcome.ok ? '' : outcome.reason).toMatch(/cannot run \/nonexistent\/kubectl/)
  })
})
