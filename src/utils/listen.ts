import { createServer, type RequestListener, type Server } from 'node:http'

/**
 * Starts a node:http server on `host:port` (0 picks a free port) and resolves once it listens,
 * with its base URL (an IPv6 host in brackets). Rejects when the port cannot be bound.
 */
export async function listenHttp(
  listener: RequestListener,
  host: string,
  port: number,
): Promise<{ readonly server: Server; readonly url: string }> {
  const server = createServer(listener)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const address = server.address()
  const bound = typeof address === 'object' && address !== null ? address.port : port
  const shown = host.includes(':') ? `[${host}]` : host
  return { server, url: `http://${shown}:${bound}` }
}
