/**
 * A throwaway project deploying the example agent service on the local target, for the deploy
 * e2e tests: the config, a free proxy port, and a cleanup that stops the target's processes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runCli } from './cli.js'

const SERVER = fileURLToPath(new URL('../../examples/agent-service/server.mjs', import.meta.url))

/** A deploy project on disk. */
export interface DeployProject {
  readonly dir: string
  /** The local target's proxy. */
  readonly url: string
  /** The release `/health` (through the proxy) names. */
  release(): Promise<string | undefined>
  /** Stops the target's supervisor and instances and removes the directory. */
  remove(): Promise<void>
}

/** Picks a free loopback port (closed again: the supervisor binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** The monitor's settings in a deploy project; `source` is YAML for `monitor.source`. */
export interface ProjectMonitor {
  readonly interval: string
  readonly duration: string
  readonly source?: string
}

/** The head of a config with one mock suite of one case, for projects about deploys. */
export const ONE_CASE_SUITE = `version: 1
providers:
  bot: { type: mock }
prompts:
  hello: { user: "Say hello to {{ name }}" }
suites:
  greet:
    prompt: hello
    provider: bot
    cases: [{ id: one, vars: { name: Ada } }]
`

/**
 * Writes the project; `extra` is appended to the config (e.g. a `notify:` list), `target` is
 * YAML lines added to the local target (e.g. `stickyHeader: x-user-id`).
 */
export async function deployProject(
  extra = '',
  monitor: ProjectMonitor = { interval: '2s', duration: '6s' },
  target = '',
): Promise<DeployProject> {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-deploy-'))
  const port = await freePort()
  writeFileSync(
    join(dir, 'shipgate.yaml'),
    `${ONE_CASE_SUITE}targets:
  local:
    type: local
    command: node ${JSON.stringify(SERVER)}
    port: ${port}
    healthTimeout: 20s
    drain: 200ms
    env: { RATE_LIMIT_RATE: "1000", RATE_LIMIT_BURST: "1000" }
${indent(target, 4)}
deploy: { healthTimeout: 20s }
smoke: { retries: 10, retryDelay: 200ms }
monitor:
  interval: ${monitor.interval}
  duration: ${monitor.duration}
  minRequests: 10
${monitor.source === undefined ? '' : `  source: ${monitor.source}`}
${extra}`,
  )
  const url = `http://127.0.0.1:${port}`
  return {
    dir,
    url,
    async release() {
      const health = (await (await fetch(`${url}/health`)).json()) as { release?: string }
      return health.release
    },
    async remove() {
      await runCli(['target', 'stop', 'local'], { cwd: dir })
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function indent(lines: string, spaces: number): string {
  const pad = ' '.repeat(spaces)
  return lines
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => pad + line)
    .join('\n')
}

/** `shipgate release create` in `dir`; resolves the new release's id. */
export async function createRelease(dir: string, args: readonly string[] = []): Promise<string> {
  const result = await runCli(['release', 'create', '--json', ...args], { cwd: dir })
  if (result.code !== 0) throw new Error(`release create failed: ${result.stderr}`)
  return (JSON.parse(result.stdout) as { manifest: { id: string } }).manifest.id
}
