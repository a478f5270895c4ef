import type { Kysely } from 'kysely'
import type { ControlRequest, Deployment } from '../../contracts/deploy.js'
import type {
  DeploymentPatch,
  DeploymentQuery,
  DeploymentRepository,
} from '../../contracts/store.js'
import { ShipgateError } from '../../errors.js'
import { deploymentFromRow, deploymentRow } from './rows.js'
import type { Database } from './schema.js'

/** How often `begin` looks again when the running deployment it collided with ended meanwhile. */
const ATTEMPTS = 3

/**
 * The deployments repository over any Kysely dialect. One running deployment per target is
 * the database's rule (migration 004's partial unique index); `begin` turns its violation into
 * a value naming the deployment that holds the target.
 */
export class SqlDeploymentRepository implements DeploymentRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async begin(deployment: Deployment): Promise<{ ok: true } | { ok: false; running: Deployment }> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.insertInto('deployments').values(deploymentRow(deployment)).execute()
        return { ok: true }
      } catch (error) {
        // Any dialect's unique violation: if the target has a running deployment, that is why.
        const running = deployment.status === 'running' ? await this.running(deployment) : undefined
        if (running !== undefined) return { ok: false, running }
        if (attempt >= ATTEMPTS || (await this.get(deployment.id)) !== undefined) throw error
      }
    }
  }

  async update(id: string, patch: DeploymentPatch): Promise<void> {
    const result = await this.db
      .updateTable('deployments')
      .set({
        status: patch.status,
        steps: JSON.stringify(patch.steps),
        finished_at: patch.finishedAt,
        reason: patch.reason,
        owner_host: patch.owner?.host ?? null,
        owner_pid: patch.owner?.pid ?? null,
        alerts: patch.alerts === undefined ? null : JSON.stringify(patch.alerts),
      })
      .where('id', '=', id)
      .executeTakeFirst()
    if (result.numUpdatedRows === 0n) {
      throw new ShipgateError('internal', `deployment ${id} is unknown`)
    }
  }

  async get(id: string): Promise<Deployment | undefined> {
    const row = await this.db
      .selectFrom('deployments')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row === undefined ? undefined : deploymentFromRow(row)
  }

  async list(query: DeploymentQuery = {}): Promise<Deployment[]> {
    let q = this.db.selectFrom('deployments').selectAll()
    if (query.target !== undefined) q = q.where('target', '=', query.target)
    if (query.status !== undefined) q = q.where('status', '=', query.status)
    if (query.releaseId !== undefined) q = q.where('release_id', '=', query.releaseId)
    const rows = await q
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit ?? 50)
      .execute()
    return rows.map(deploymentFromRow)
  }

  async requestControl(id: string, request: ControlRequest): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('deployments')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirst()
      if (row?.status !== 'running') {
        throw new ShipgateError('internal', `deployment ${id} is unknown or not running`)
      }
      const values = { action: request.action, requested_at: request.at }
      await trx
        .insertInto('deployment_controls')
        .values({ deployment_id: id, ...values })
        .onConflict((oc) => oc.column('deployment_id').doUpdateSet(values))
        .execute()
    })
  }

  async control(id: string): Promise<ControlRequest | null> {
    const row = await this.db
      .selectFrom('deployment_controls')
      .selectAll()
      .where('deployment_id', '=', id)
      .executeTakeFirst()
    return row === undefined
      ? null
      : { action: row.action as ControlRequest['action'], at: row.requested_at }
  }

  /** The running deployment on the target, other than `deployment` itself. */
  private async running(deployment: Deployment): Promise<Deployment | undefined> {
    const row = await this.db
      .selectFrom('deployments')
      .selectAll()
      .where('target', '=', deployment.target)
      .where('status', '=', 'running')
      .where('id', '!=', deployment.id)
      .executeTakeFirst()
    return row === undefined ? undefined : deploymentFromRow(row)
  }
}
