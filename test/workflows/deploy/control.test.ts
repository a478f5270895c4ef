import { describe, expect, it } from 'vitest'
import { openMemoryStore } from '../../../src/stores/memory/index.js'
import { canaryStatus, controlCanary } from '../../../src/workflows/deploy/index.js'
import { deployment } from '../../contract/store.contract.js'
import { tempProject } from '../../helpers/project.js'

const base = { cwd: tempProject({}), env: {}, target: 'prod' }
const now = () => new Date('2026-12-07T08:00:00.000Z')

describe('shipgate canary, from the library', () => {
  it('records a request for the target’s running canary, which status then shows', async () => {
    const store = openMemoryStore()
    const canary = deployment('dep-2', 'prod', {
      strategy: 'canary',
      steps: [
        {
          name: 'canary',
          status: 'running',
          startedAt: '2026-12-07T07:59:00.000Z',
          finishedAt: null,
          detail: 'canary 1/3 running: set the canary weight to 5%\ncanary 1/3 passed: 5%',
        },
      ],
    })
    await store.deployments.begin(canary)
    const asked = await controlCanary({ ...base, store, action: 'pause', now })
    expect(asked.request).toEqual({ action: 'pause', at: '2026-12-07T08:00:00.000Z' })
    const status = await canaryStatus({ ...base, store })
    expect(status.deployment.id).toBe('dep-2')
    expect(status.control?.action).toBe('pause')
    expect(status.steps).toEqual([
      'canary 1/3 running: set the canary weight to 5%',
      'canary 1/3 passed: 5%',
    ])
  })

  it('refuses when no canary runs on the target, saying why', async () => {
    const store = openMemoryStore()
    await expect(controlCanary({ ...base, store, action: 'abort' })).rejects.toThrow(
      'no canary is running on prod',
    )
    await store.deployments.begin(deployment('dep-1', 'prod'))
    await expect(controlCanary({ ...base, store, action: 'abort' })).rejects.toMatchObject({
      hint: 'dep-1 deploys all at once (strategy replace)',
    })
    await expect(canaryStatus({ ...base, store })).rejects.toThrow('prod has had no canary deploy')
  })
})
