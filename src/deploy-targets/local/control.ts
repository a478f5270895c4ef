/**
 * The supervisor's control API on 127.0.0.1: JSON in and out, every request carrying the bearer
 * token from `supervisor.token`. Each route maps to one {@link Registry} operation.
 */
import { errorMessage } from '../../utils/errors.js'
import { timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type {
  ErrorAnswer,
  RetireRequest,
  StartRequest,
  StopRequest,
  VariablesRequest,
  WeightsRequest,
} from './protocol.js'
import { StartError, type Registry } from './registry.js'

type Handler = (body: unknown) => Promise<unknown>

/** The control server (not listening yet); `shutdown` is called by `POST /shutdown`. */
export function createControl(
  registry: Registry,
  token: string,
  shutdown: () => Promise<void>,
): Server {
  const routes: Record<string, Handler> = {
    'GET /state': () => Promise.resolve(registry.state()),
    'POST /instances': (body) => {
      const { spec, weight } = body as StartRequest
      return registry.serial(async () => ({ instance: await registry.start(spec, weight) }))
    },
    'POST /weights': (body) =>
      registry.serial(() => {
        registry.setWeights((body as WeightsRequest).weights)
        return Promise.resolve(registry.state())
      }),
    'POST /stop': (body) => {
      const { releaseId, drainMs } = body as StopRequest
      return registry.serial(async () => ({
        stopped: await registry.stop((i) => i.releaseId === releaseId, drainMs),
      }))
    },
    'POST /retire': (body) => {
      const { drainMs } = body as RetireRequest
      return registry.serial(async () => ({
        stopped: await registry.stop((i) => i.weight === 0, drainMs),
      }))
    },
    'POST /variables': (body) => {
      const { vars, drainMs } = body as VariablesRequest
      return registry.serial(async () => {
        await registry.replaceAll(vars, drainMs)
        return registry.state()
      })
    },
    'POST /shutdown': async () => {
      setImmediate(() => void shutdown())
      return Promise.resolve({ stopping: true })
    },
  }
  return createServer((req, res) => void handle(req, res, routes, token))
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  routes: Record<string, Handler>,
  token: string,
): Promise<void> {
  if (!authorized(req.headers.authorization, token)) return send(res, 401, { error: 'bad token' })
  const route = routes[`${req.method ?? 'GET'} ${req.url ?? '/'}`]
  if (route === undefined) return send(res, 404, { error: `no route ${req.method} ${req.url}` })
  try {
    send(res, 200, await route(await readJson(req)))
  } catch (error) {
    const answer: ErrorAnswer =
      error instanceof StartError
        ? { error: error.message, log: error.log }
        : { error: errorMessage(error) }
    send(res, error instanceof StartError ? 422 : 500, answer)
  }
}

function authorized(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? '')
  const expected = Buffer.from(`Bearer ${token}`)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = ''
  for await (const chunk of req) text += String(chunk)
  return text === '' ? {} : (JSON.parse(text) as unknown)
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}
