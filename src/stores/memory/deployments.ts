import type { ControlRequest, Deployment } from '../../contracts/deploy.js'
import type {
  DeploymentPatch,
  DeploymentQuery,
  DeploymentRepository,
} from '../../contracts/store.js'
import { ShipgateError } from '../../errors.js'

/**
 * Deployments in process memory. Each call checks and writes in one synchronous step, so the
 * one-running-deployment-per-target rule holds however calls interleave.
 */
export class MemoryDeploymentRepository implements DeploymentRepository {
  private readonly deployments = new Map<string, Deployment>()
  private readonly controls = new Map<string, ControlRequest>()

  requestControl(id: string, request: ControlRequest): Promise<void> {
    if (this.deployments.get(id)?.status !== 'running') {
      return Promise.reject(
        new ShipgateError('internal', `deployment ${id} is unknown or not running`),
      )
    }
    this.controls.set(id, { ...request })
    return Promise.resolve()
  }

  control(id: string): Promise<ControlRequest | null> {
    const request = this.controls.get(id)
    return Promise.resolve(request === undefined ? null : { ...request })
  }

  begin(deployment: Deployment): Promise<{ ok: true } | { ok: false; running: Deployment }> {
    const running =
      deployment.status === 'running' ? this.running(deployment.target, deployment.id) : undefined
    if (running !== undefined)
      return Promise.resolve({ ok: false, running: structuredClone(running) })
    if (this.deployments.has(deployment.id)) {
      return Promise.reject(
        new ShipgateError('internal', `deployment ${deployment.id} already exists`),
      )
    }
    this.deployments.set(deployment.id, structuredClone(deployment))
    return Promise.resolve({ ok: true })
  }

  update(id: string, patch: DeploymentPatch): Promise<void> {
    const current = this.deployments.get(id)
    if (current === undefined) {
      return Promise.reject(new ShipgateError('internal', `deployment ${id} is unknown`))
    }
    if (patch.status === 'running' && this.running(current.target, id) !== undefined) {
      return Promise.reject(
        new ShipgateError('internal', `target ${current.target} already has a running deployment`),
      )
    }
    const { status, steps, finishedAt, reason, owner, alerts } = structuredClone(patch)
    const { alerts: _before, ...rest } = current
    this.deployments.set(id, {
      ...rest,
      status,
      steps,
      finishedAt,
      reason,
      owner,
      ...(alerts === undefined ? {} : { alerts }),
    })
    return Promise.resolve()
  }

  get(id: string): Promise<Deployment | undefined> {
    const deployment = this.deployments.get(id)
    return Promise.resolve(deployment === undefined ? undefined : structuredClone(deployment))
  }

  list(query: DeploymentQuery = {}): Promise<Deployment[]> {
    const found = [...this.deployments.values()]
      .filter((d) => query.target === undefined || d.target === query.target)
      .filter((d) => query.status === undefined || d.status === query.status)
      .filter((d) => query.releaseId === undefined || d.releaseId === query.releaseId)
      .sort((a, b) =>
        a.startedAt === b.startedAt
          ? b.id.localeCompare(a.id)
          : b.startedAt.localeCompare(a.startedAt),
      )
      .slice(0, query.limit ?? 50)
    return Promise.resolve(structuredClone(found))
  }

  private running(target: string, except: string): Deployment | undefined {
    return [...this.deployments.values()].find(
      (d) => d.target === target && d.status === 'running' && d.id !== except,
    )
  }
}
