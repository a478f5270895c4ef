/**
 * A real `redis-server` for tests, on a free loopback port in a temp dir, with persistence off.
 * Guard the suite with `requireService('Redis', 'redis-server')` and stop it in `afterAll`.
 */
import { connect } from 'node:net'
import { startService } from './services.js'

/** A running Redis. */
export interface TestRedis {
  /** `redis://127.0.0.1:PORT`. */
  readonly url: string
  readonly port: number
  /** Kills the server and removes its dir. */
  stop(): Promise<void>
}

/** Starts `redis-server` and resolves once it answers PING. */
export async function startRedis(): Promise<TestRedis> {
  const service = await startService({
    name: 'Redis',
    command: 'redis-server',
    args: (port, dir) => [
      ...['--port', String(port), '--bind', '127.0.0.1'],
      ...['--save', '', '--appendonly', 'no', '--dir', dir],
    ],
    ready: ping,
  })
  return { url: `redis://127.0.0.1:${service.port}`, port: service.port, stop: service.stop }
}

/** Whether a Redis on `port` answers PING, over a raw socket (no client, no retries). */
export function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    let reply = ''
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1000, () => done(false))
    socket.once('error', () => done(false))
    socket.on('data', (chunk) => {
      reply += chunk.toString()
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'))
    })
    socket.write('PING\r\n')
  })
}
