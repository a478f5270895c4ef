/**
 * The example agent service (examples/agent-service/server.mjs) as a child process on a free
 * loopback port, for the smoke, metric-source and monitor tests; plus a small load generator.
 * It imports `@shipgate/runtime` from packages/runtime/dist/, so the project must have been built.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach } from 'vitest'

const SERVER = fileURLToPath(new URL('../../examples/agent-service/server.mjs', import.meta.url))
const children: ChildProcess[] = []

afterEach(async () => {
  await Promise.all(children.splice(0).map(stop))
})

/** A running agent service. */
export interface AgentService {
  readonly url: string
  /** `host:port`, for a Prometheus scrape config. */
  readonly hostPort: string
  stop(): Promise<void>
}

/**
 * Starts the service with `env` (RELEASE_ID, FAULT_ERROR_RATE, …) on `port` (a free one by
 * default). It is stopped after the test, unless `keep` (then the caller stops it).
 */
export async function startAgent(
  env: Record<string, string> = {},
  { port = 0, keep = false }: { port?: number; keep?: boolean } = {},
): Promise<AgentService> {
  const child = spawn(process.execPath, [SERVER, '--port', String(port)], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  if (!keep) children.push(child)
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (d: Buffer) =>
      resolve(/listening on (\S+)/.exec(d.toString())?.[1] ?? ''),
    )
    child.once('exit', (code) => reject(new Error(`agent-service exited ${code}: ${stderr}`)))
  })
  return { url, hostPort: new URL(url).host, stop: () => stop(child) }
}

/** Sends `n` queries, each from its own user (the rate limit is per user); their statuses. */
export async function sendQueries(url: string, n: number, prefix = 'user'): Promise<number[]> {
  const statuses: number[] = []
  for (let i = 0; i < n; i++) {
    const response = await fetch(`${url}/agent/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `question ${i}`, user_id: `${prefix}-${i}` }),
    })
    await response.arrayBuffer()
    statuses.push(response.status)
  }
  return statuses
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  return exited
}
