/**
 * The `shipgate` side of the local target: finds the supervisor of a state directory (or starts
 * it, detached, so it outlives this process) and calls its control API.
 */
import { errorMessage } from '../../utils/errors.js'
import { spawn } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { tail } from '../run.js'
import { pidAlive } from '../../utils/processes.js'
import {
  FILES,
  readStateFile,
  type ErrorAnswer,
  type SupervisorInfo,
  type SupervisorOptions,
} from './protocol.js'

/** How long a starting supervisor may take to listen. */
const START_TIMEOUT_MS = 10_000

/** An answer of the control API: the body, or the error it gave (with an instance log). */
export type Answer<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: string; readonly log?: string }

/** A connection to a running supervisor. */
export class SupervisorClient {
  constructor(
    readonly info: SupervisorInfo,
    private readonly token: string,
  ) {}

  /** Calls the control API; network and HTTP errors are answers, not throws. */
  async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer<T>> {
    try {
      const response = await fetch(`http://127.0.0.1:${this.info.controlPort}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      const json: unknown = await response.json()
      if (response.ok) return { ok: true, value: json as T }
      const { error, log } = json as ErrorAnswer
      return { ok: false, error, ...(log === undefined ? {} : { log }) }
    } catch (error) {
      return {
        ok: false,
        error: `supervisor: ${errorMessage(error)}`,
      }
    }
  }
}

/** The running supervisor of `stateDir`, or `undefined` when there is none (or it is dead). */
export async function connect(stateDir: string): Promise<SupervisorClient | undefined> {
  const info = readStateFile<SupervisorInfo>(stateDir, FILES.supervisor)
  if (info === undefined || !pidAlive(info.pid)) return undefined
  let token: string
  try {
    token = readFileSync(join(stateDir, FILES.token), 'utf8').trim()
  } catch {
    return undefined
  }
  const client = new SupervisorClient(info, token)
  return (await client.call('GET', '/state')).ok ? client : undefined
}

/** The running supervisor, or a new one started detached; a failed start is an answer. */
export async function ensureSupervisor(
  options: SupervisorOptions,
  cwd: string,
): Promise<Answer<SupervisorClient>> {
  const running = await connect(options.stateDir)
  if (running !== undefined) return { ok: true, value: running }
  mkdirSync(options.stateDir, { recursive: true })
  const lock = join(options.stateDir, FILES.starting)
  if (!takeLock(lock)) return waitForOther(options.stateDir, lock)
  try {
    return await start(options, cwd)
  } finally {
    rmSync(lock, { force: true })
  }
}

/** Creates the start lock unless another process holds it; a lock older than a start is stale. */
function takeLock(lock: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(lock, 'wx', 0o600))
      return true
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0)
      if (age < START_TIMEOUT_MS * 2) return false
      rmSync(lock, { force: true })
    }
  }
  return false
}

/** Another process is starting the supervisor: wait for it to answer. */
async function waitForOther(stateDir: string, lock: string): Promise<Answer<SupervisorClient>> {
  const deadline = Date.now() + START_TIMEOUT_MS * 2
  while (Date.now() < deadline) {
    const client = await connect(stateDir)
    if (client !== undefined) return { ok: true, value: client }
    if (!existsSync(lock)) break
    await sleep(50)
  }
  const client = await connect(stateDir)
  if (client !== undefined) return { ok: true, value: client }
  return {
    ok: false,
    error: 'another process was starting the local supervisor, and it did not start',
  }
}

async function start(options: SupervisorOptions, cwd: string): Promise<Answer<SupervisorClient>> {
  const logFile = join(options.stateDir, FILES.log)
  const fd = openSync(logFile, 'a', 0o600)
  const child = spawn(process.execPath, [supervisorScript(), JSON.stringify(options)], {
    cwd,
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
  })
  closeSync(fd)
  child.unref()
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline && child.exitCode === null) {
    const info = readStateFile<SupervisorInfo>(options.stateDir, FILES.supervisor)
    const client = info?.pid === child.pid ? await connect(options.stateDir) : undefined
    if (client !== undefined) return { ok: true, value: client }
    await sleep(50)
  }
  const log = tail(existsSync(logFile) ? readFileSync(logFile, 'utf8') : '').trim()
  return { ok: false, error: 'the local supervisor did not start', log }
}

/**
 * The supervisor's script. tsc emits it next to this module; the CLI bundle lives in
 * dist/bundle/, and tests run this module from src/ with the build in dist/.
 */
export function supervisorScript(): string {
  const candidates = [
    './supervisor.js',
    '../deploy-targets/local/supervisor.js',
    '../../../dist/deploy-targets/local/supervisor.js',
  ].map((path) => fileURLToPath(new URL(path, import.meta.url)))
  return candidates.find((path) => existsSync(path)) ?? (candidates[0] as string)
}
