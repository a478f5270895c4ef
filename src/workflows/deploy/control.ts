/**
 * `shipgate canary status|pause|resume|promote|abort TARGET`: reading a target's canary and
 * asking it, from any process that reaches the store, to hold, go on, finish or roll back. The
 * deploy running the canary acts on the request at its next look (within a second).
 */
import type {
  CanaryControl,
  CanaryStatus,
  ControlRequest,
  Deployment,
} from '../../contracts/deploy.js'
import { usageError } from '../../errors.js'
import { withProjectStore, type StoreChoice } from '../project/index.js'

/** Options of {@link canaryStatus} and {@link controlCanary}. */
export interface CanaryOptions extends StoreChoice {
  /** The target, by its name under `targets:`. */
  readonly target: string
  readonly now?: () => Date
}

/** `shipgate canary status TARGET`: the target's running canary, or its latest one. */
export async function canaryStatus(options: CanaryOptions): Promise<CanaryStatus> {
  return withProjectStore(options, async (store) => {
    const deployments = await store.deployments.list({ target: options.target, limit: 50 })
    const canary =
      deployments.find((d) => d.strategy === 'canary' && d.status === 'running') ??
      deployments.find((d) => d.strategy === 'canary')
    if (canary === undefined) {
      throw usageError(
        `${options.target} has had no canary deploy`,
        'set rollout.strategy: canary and run shipgate deploy TARGET',
      )
    }
    const step = canary.steps.findLast((s) => s.name === 'canary')
    const steps = step === undefined || step.detail === '' ? [] : step.detail.split('\n')
    return { deployment: canary, control: await store.deployments.control(canary.id), steps }
  })
}

/**
 * `shipgate canary pause|resume|promote|abort TARGET`: records the request for the target's
 * running canary. A usage error when no canary runs there.
 */
export async function controlCanary(
  options: CanaryOptions & { readonly action: CanaryControl },
): Promise<{ readonly deployment: Deployment; readonly request: ControlRequest }> {
  return withProjectStore(options, async (store) => {
    const [running] = await store.deployments.list({
      target: options.target,
      status: 'running',
      limit: 1,
    })
    if (running?.strategy !== 'canary') {
      throw usageError(
        `no canary is running on ${options.target}`,
        running === undefined
          ? 'start one: shipgate deploy TARGET with rollout.strategy: canary'
          : `${running.id} deploys all at once (strategy ${running.strategy})`,
      )
    }
    const request = { action: options.action, at: (options.now?.() ?? new Date()).toISOString() }
    await store.deployments.requestControl(running.id, request)
    return { deployment: running, request }
  })
}
