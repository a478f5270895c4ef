/**
 * The local target's supervisor daemon: `node supervisor.js '<SupervisorOptions as JSON>'`.
 * Started detached by the first `shipgate` command that needs it, it outlives that command:
 * it owns the proxy and the instances, answers the control API and keeps the state files.
 * It stops on `POST /shutdown`, SIGTERM or SIGINT, taking every instance with it.
 */
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { rmSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { createControl } from './control.js'
import { FILES, readStateFile, type SupervisorInfo, type SupervisorOptions } from './protocol.js'

const OWNERSHIP_CHECK_MS = 2_000
import { createProxy } from './proxy.js'
import { Registry, writeAtomic } from './registry.js'

async function main(options: SupervisorOptions): Promise<void> {
  const token = randomBytes(24).toString('hex')
  writeFileSync(join(options.stateDir, FILES.token), token, { mode: 0o600 })
  // The registry reports the proxy port, known once the proxy listens.
  const proxyAt = { host: options.host, port: options.port }
  const reg = new Registry(options.stateDir, proxyAt)
  const proxy = createProxy({ stickyHeader: options.stickyHeader, routes: () => reg.routes() })
  proxyAt.port = await listen(proxy, options.port, options.host)
  const proxyPort = proxyAt.port
  reg.adopt()
  let stopping = false
  const shutdown = async (): Promise<void> => {
    if (stopping) return
    stopping = true
    reg.stopHealthChecks()
    await reg.serial(() => reg.stop(() => true, 0))
    if (readStateFile<SupervisorInfo>(options.stateDir, FILES.supervisor)?.pid === process.pid) {
      rmSync(join(options.stateDir, FILES.supervisor), { force: true })
    }
    process.exit(0)
  }
  const control = createControl(reg, token, shutdown)
  const controlPort = await listen(control, 0, '127.0.0.1')
  const info: SupervisorInfo = {
    pid: process.pid,
    controlPort,
    proxyHost: options.host,
    proxyPort,
    startedAt: new Date().toISOString(),
  }
  writeAtomic(join(options.stateDir, FILES.supervisor), info, 0o644)
  watchOwnership(options.stateDir, shutdown)
  process.once('SIGTERM', () => void shutdown())
  process.once('SIGINT', () => void shutdown())
  process.stdout.write(
    `supervisor ${process.pid}: proxy ${options.host}:${proxyPort}, control 127.0.0.1:${controlPort}\n`,
  )
}

/**
 * Watches `supervisor.json`. Gone (the state directory was deleted): nobody could reach this
 * supervisor any more, so it shuts down with its instances. Naming another process: that one
 * took the instances over, so this one just exits.
 */
function watchOwnership(stateDir: string, shutdown: () => Promise<void>): void {
  setInterval(() => {
    const owner = readStateFile<SupervisorInfo>(stateDir, FILES.supervisor)?.pid
    if (owner === undefined) void shutdown()
    else if (owner !== process.pid) process.exit(0)
  }, OWNERSHIP_CHECK_MS).unref()
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  server.listen(port, host)
  await once(server, 'listening')
  return (server.address() as AddressInfo).port
}

main(JSON.parse(process.argv[2] ?? '{}') as SupervisorOptions).catch((error: unknown) => {
  process.stderr.write(
    `supervisor failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  )
  process.exit(1)
})
