/**
 * A real PostgreSQL server for tests (Debian's PostgreSQL 15, from scripts/install-services.sh):
 * `initdb` into a temp dir with password authentication, `postgres` on a free loopback port with
 * durability off (a test server, not a database anyone keeps), stopped and removed in `afterAll`.
 * Guard the suite with `requireService('PostgreSQL', 'initdb')`. Under root (as in CI
 * containers) the server runs as the `postgres` user, since PostgreSQL refuses to run as root.
 */
import { execFileSync } from 'node:child_process'
import { chownSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import pg from 'pg'
import { checkService, startService } from './services.js'

/** A running PostgreSQL. */
export interface TestPostgres {
  /** `postgres://shipgate:PASSWORD@127.0.0.1:PORT/postgres`. */
  readonly url: string
  /** The password in `url`: what must never show up in shipgate's output. */
  readonly password: string
  readonly port: number
  /** A URL for a new, empty database of its own (name from a counter). */
  createDatabase(): Promise<string>
  /** Stops the server and removes its dir. */
  stop(): Promise<void>
}

const USER = 'shipgate'

/** Starts PostgreSQL and resolves once it accepts the password over TCP. */
export async function startPostgres(): Promise<TestPostgres> {
  const initdb = checkService('PostgreSQL', 'initdb')
  if (initdb === undefined) throw new Error('PostgreSQL: `initdb` is not on PATH')
  // initdb's directory holds the server too (a symlink on PATH points into it).
  const bin = dirname(realpathSync(initdb))
  const owner = process.getuid?.() === 0 ? postgresUser() : undefined
  const password = `pw-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`
  const home = mkdtempSync(join(tmpdir(), 'shipgate-postgres-'))
  const data = join(home, 'data')
  writeFileSync(join(home, 'pwfile'), `${password}\n`)
  if (owner !== undefined) {
    chownSync(home, owner.uid, owner.gid)
    chownSync(join(home, 'pwfile'), owner.uid, owner.gid)
  }
  execFileSync(
    join(bin, 'initdb'),
    [
      ...['-D', data, '-U', USER, `--pwfile=${join(home, 'pwfile')}`],
      ...['-A', 'scram-sha-256', '-E', 'UTF8', '--no-sync'],
    ],
    { stdio: 'pipe', ...(owner ?? {}) },
  )
  let url = ''
  const service = await startService({
    name: 'PostgreSQL',
    command: join(bin, 'postgres'),
    args: (port) => [
      ...['-D', data, '-p', String(port), '-k', home],
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
      ...['-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    ],
    spawnOptions: owner,
    ready: async (port) => {
      url = `postgres://${USER}:${password}@127.0.0.1:${port}/postgres`
      await query(url, 'SELECT 1')
      return true
    },
    timeoutMs: 30_000,
  })
  let databases = 0
  return {
    url,
    password,
    port: service.port,
    async createDatabase() {
      databases += 1
      const name = `t${databases}_${process.pid}`
      await query(url, `CREATE DATABASE ${name}`)
      return url.replace(/\/postgres$/, `/${name}`)
    },
    async stop() {
      await service.stop()
      rmSync(home, { recursive: true, force: true })
    },
  }
}

/** Runs one statement on a connection of its own. */
export async function query(url: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await client.query(text)
  } finally {
    await client.end()
  }
}

function postgresUser(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
  return { uid, gid }
}
