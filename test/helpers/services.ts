/**
 * How tests get the real services of scripts/install-services.sh (Redis, Prometheus, …):
 * find the command on PATH, skip the suite when it is missing — or fail it when
 * SHIPGATE_REQUIRE_SERVICES=1, as in `.ci/run` — start it on a free loopback port in a temp
 * dir, wait until it answers, and stop it (process and dir) in `afterAll`.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { basename, delimiter, isAbsolute, join } from 'node:path'
import { describe, it } from 'vitest'

/** Whether a missing service fails the run instead of skipping its tests. */
export const servicesRequired = (): boolean => process.env.SHIPGATE_REQUIRE_SERVICES === '1'

/** The absolute path of `command` on PATH (or `command` itself when absolute), or undefined. */
export function findCommand(command: string): string | undefined {
  if (isAbsolute(command)) return executable(command) ? command : undefined
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue
    const path = join(dir, command)
    if (executable(path)) return path
  }
  return undefined
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Why `name` cannot run here, in words that say how to fix it. */
function missing(name: string, command: string): string {
  return `${name}: \`${command}\` is not on PATH; install it with scripts/install-services.sh`
}

/**
 * The path of `command`, for a test that needs service `name`. Throws when the command is
 * missing and SHIPGATE_REQUIRE_SERVICES=1; otherwise returns undefined when it is missing.
 */
export function checkService(name: string, command: string): string | undefined {
  const path = findCommand(command)
  if (path === undefined && servicesRequired()) {
    throw new Error(`${missing(name, command)} (SHIPGATE_REQUIRE_SERVICES=1 forbids skipping)`)
  }
  return path
}

/** A `describe` for suites that need a service: a real one, or a stand-in that skips or fails. */
export type ServiceDescribe = (title: string, body: () => void) => void

/**
 * `describe` when `command` is on PATH. Otherwise the suite is skipped with the reason in its
 * title, or — under SHIPGATE_REQUIRE_SERVICES=1 — replaced by one failing test naming
 * scripts/install-services.sh.
 *
 *     const describeRedis = requireService('Redis', 'redis-server')
 *     describeRedis('the Redis limiter', () => { … })
 */
export function requireService(name: string, command: string): ServiceDescribe {
  if (findCommand(command) !== undefined) return (title, body) => describe(title, body)
  if (!servicesRequired()) {
    return (title, body) => describe.skip(`${title} [skipped: ${missing(name, command)}]`, body)
  }
  return (title) =>
    describe(title, () => {
      it(`needs ${name}`, () => {
        checkService(name, command)
      })
    })
}

/** A free TCP port on 127.0.0.1 (free when asked: bind soon, and retry if it was taken). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/**
 * Calls `check` every `intervalMs` until it returns true; a throw counts as "not yet". Rejects
 * after `timeoutMs` with `what` and the last error.
 */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  { intervalMs = 25, what = 'condition' }: { intervalMs?: number; what?: string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      if (await check()) return
    } catch (error) {
      last = error
    }
    if (Date.now() >= deadline) {
      const reason = last instanceof Error ? `: ${last.message}` : ''
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`)
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

/** How to start one service. */
export interface ServiceSpec {
  /** For messages: `Redis`, `Prometheus`. */
  readonly name: string
  /** The command, looked up on PATH. */
  readonly command: string
  /** Its arguments, given the free port and a fresh temp dir. */
  readonly args: (port: number, dir: string) => readonly string[]
  /** True once the service answers on `port`. */
  readonly ready: (port: number) => boolean | Promise<boolean>
  /** How long it may take to answer (default 10 s). */
  readonly timeoutMs?: number
  /** The user to run it as, when the test runs as root and the service refuses root. */
  readonly spawnOptions?: { readonly uid: number; readonly gid: number }
}

/** A started service. */
export interface RunningService {
  readonly port: number
  /** Its temp dir, removed by `stop`. */
  readonly dir: string
  /** Kills it (SIGTERM, SIGKILL after 5 s), waits for it to exit and removes its dir. */
  stop(): Promise<void>
}

/**
 * Starts `spec.command` on a free loopback port in a new temp dir and waits until it is ready.
 * If it exits or never answers, it is stopped and the error carries its output. Call `stop` in
 * `afterAll`; a process still running when the test process exits is killed then.
 */
export async function startService(spec: ServiceSpec): Promise<RunningService> {
  const path = checkService(spec.name, spec.command)
  if (path === undefined) throw new Error(missing(spec.name, spec.command))
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), `shipgate-${basename(spec.command)}-`))
  const child = spawn(path, spec.args(port, dir), {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...spec.spawnOptions,
  })
  const output = collect(child)
  running.add(child)
  const stop = (): Promise<void> =>
    kill(child).finally(() => rmSync(dir, { recursive: true, force: true }))
  try {
    await waitFor(
      () => {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`it exited (${child.exitCode ?? child.signalCode})`)
        }
        return spec.ready(port)
      },
      spec.timeoutMs ?? 10_000,
      { what: `${spec.name} on port ${port}` },
    )
  } catch (error) {
    await stop()
    throw new Error(`${spec.name} did not start: ${(error as Error).message}\n${output()}`, {
      cause: error,
    })
  }
  return { port, dir, stop }
}

/** The last 4 KB of a child's stdout and stderr, for error messages. */
function collect(child: ChildProcess): () => string {
  let text = ''
  const add = (chunk: Buffer): void => {
    text = (text + chunk.toString()).slice(-4096)
  }
  child.stdout?.on('data', add)
  child.stderr?.on('data', add)
  return () => text
}

const running = new Set<ChildProcess>()
// The safety net behind `stop()`: a worker that exits early leaves no service behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

async function kill(child: ChildProcess): Promise<void> {
  running.delete(child)
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}
