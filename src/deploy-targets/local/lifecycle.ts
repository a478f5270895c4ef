/** Stopping a local target for good, and retiring the instances a finished deploy left idle. */
import { setTimeout as sleep } from 'node:timers/promises'
import type { StepOutcome } from '../../contracts/deploy.js'
import { connect } from './client.js'
import { stopProcess } from './instances.js'
import { groupAlive, pidAlive } from '../../utils/processes.js'
import { FILES, readStateFile, type SupervisorInfo, type SupervisorState } from './protocol.js'

/** How long the supervisor may take to stop its instances and exit. */
const SHUTDOWN_TIMEOUT_MS = 20_000

/**
 * Stops the supervisor of `stateDir` and every instance it runs; resolves once their processes
 * are gone. Works when the supervisor is dead too (its instances are found in `state.json`).
 * Idempotent: nothing running is fine. `shipgate target stop` and tests call it.
 */
export async function stopLocalTarget(stateDir: string): Promise<void> {
  const known = readStateFile<SupervisorState>(stateDir, FILES.state)?.instances ?? []
  const info = readStateFile<SupervisorInfo>(stateDir, FILES.supervisor)
  const client = await connect(stateDir)
  if (client !== undefined) await client.call('POST', '/shutdown')
  else if (info !== undefined && pidAlive(info.pid)) process.kill(info.pid, 'SIGTERM')
  const deadline = Date.now() + SHUTDOWN_TIMEOUT_MS
  while (info !== undefined && pidAlive(info.pid) && Date.now() < deadline) await sleep(50)
  if (info !== undefined && pidAlive(info.pid)) process.kill(info.pid, 'SIGKILL')
  await Promise.all(known.filter((i) => groupAlive(i.pid)).map((i) => stopProcess(i.pid)))
}

/**
 * Stops every instance of `stateDir` that gets no traffic (weight 0), after draining for
 * `drainMs`. The deploy pipeline calls it once a deploy has succeeded: until then the previous
 * release keeps running at weight 0 so that a rollback is instant.
 */
export async function retireLocalInstances(
  stateDir: string,
  options: { drainMs?: number } = {},
): Promise<StepOutcome> {
  const client = await connect(stateDir)
  if (client === undefined) return { ok: true, detail: 'the local supervisor is not running' }
  const answer = await client.call<{ stopped: string[] }>('POST', '/retire', {
    drainMs: options.drainMs ?? 0,
  })
  if (!answer.ok) return { ok: false, reason: answer.error }
  const { stopped } = answer.value
  return {
    ok: true,
    detail: stopped.length === 0 ? 'nothing idle' : `stopped ${stopped.join(', ')}`,
  }
}
