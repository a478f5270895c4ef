/**
 * One `/metrics` serving the exposition of several services side by side, so one scrape sees
 * every release (as a service exposing several releases would). Closed after each test.
 */
import { createServer } from 'node:http'
import { afterEach } from 'vitest'
import type { AgentService } from '../../metric-sources/agent-service.js'

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

/** Starts the aggregate on a free loopback port; its base URL. */
export async function aggregate(agents: readonly AgentService[]): Promise<string> {
  const server = createServer((_req, res) => {
    void Promise.all(agents.map(async (a) => (await fetch(`${a.url}/metrics`)).text())).then(
      (texts) => {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
        res.end(texts.join('\n'))
      },
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const address = server.address() as { port: number }
  return `http://127.0.0.1:${address.port}`
}
