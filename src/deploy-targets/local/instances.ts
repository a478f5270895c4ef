/**
 * Starting and stopping instances: a shell line in its own process group on a free loopback
 * port, its output to a log file, healthy once its health path answers 200; stopped by
 * SIGTERM to the group, SIGKILL after a grace.
 */
import { spawn } from 'node:child_process'
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { killGroup, tail } from '../run.js'
import { groupAlive } from '../../utils/processes.js'
import { FILES, type InstanceSpec } from './protocol.js'

/** How long an instance gets after SIGTERM before SIGKILL. */
export const STOP_GRACE_MS = 5_000
const POLL_MS = 100

/** A started process, before it is known to be healthy. */
export interface Started {
  readonly pid: number
  readonly port: number
  readonly logFile: string
  /** Resolves when the process exits (its exit code, or the signal's name). */
  readonly exited: Promise<string>
}

/** Starts `spec` on a free port with PORT set; throws when the shell cannot be spawned. */
export async function startProcess(
  spec: InstanceSpec,
  id: string,
  stateDir: string,
): Promise<Started> {
  const port = await freePort()
  mkdirSync(join(stateDir, FILES.logs), { recursive: true })
  const logFile = join(stateDir, FILES.logs, `${id}.log`)
  const fd = openSync(logFile, 'a', 0o600)
  try {
    const child = spawn('/bin/sh', ['-c', spec.command], {
      cwd: spec.cwd,
      env: { ...spec.env, PORT: String(port) },
      detached: true,
      stdio: ['ignore', fd, fd],
    })
    const exited = new Promise<string>((resolve) => {
      child.on('error', (error) => resolve(error.message))
      child.on('exit', (code, signal) => resolve(signal ?? `exit code ${String(code)}`))
    })
    if (child.pid === undefined) throw new Error(`cannot start /bin/sh: ${await exited}`)
    return { pid: child.pid, port, logFile, exited }
  } finally {
    closeSync(fd)
  }
}

/** Waits until `GET healthPath` answers 200; the reason it did not, otherwise. */
export async function waitHealthy(started: Started, spec: InstanceSpec): Promise<string | null> {
  const deadline = Date.now() + spec.healthTimeoutMs
  const seen: { exit: string | null } = { exit: null }
  void started.exited.then((why) => (seen.exit = why))
  const url = `http://127.0.0.1:${started.port}${spec.healthPath}`
  while (Date.now() < deadline) {
    if (seen.exit !== null) return `exited before it was healthy (${seen.exit})`
    if ((await status(url)) === 200) return null
    await sleep(POLL_MS)
  }
  return `GET ${spec.healthPath} did not answer 200 within ${spec.healthTimeoutMs}ms`
}

/** SIGTERM to the group, SIGKILL after {@link STOP_GRACE_MS}; resolves once it is gone. */
export async function stopProcess(pid: number): Promise<void> {
  killGroup(pid, 'SIGTERM')
  const deadline = Date.now() + STOP_GRACE_MS
  while (groupAlive(pid) && Date.now() < deadline) await sleep(POLL_MS / 2)
  if (!groupAlive(pid)) return
  killGroup(pid, 'SIGKILL')
  const killed = Date.now() + STOP_GRACE_MS
  while (groupAlive(pid) && Date.now() < killed) await sleep(POLL_MS / 2)
}

/** The end of an instance's log, for the reason a start failed. */
export function logTail(logFile: string): string {
  try {
    return tail(readFileSync(logFile, 'utf8')).trim()
  } catch {
    return ''
  }
}

async function status(url: string): Promise<number> {
  try {
    const answer = await fetch(url, { signal: AbortSignal.timeout(1_000) })
    await answer.body?.cancel()
    return answer.status
  } catch {
    return 0
  }
}

/** A free TCP port on 127.0.0.1 (free when asked; the instance binds it right away). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}
