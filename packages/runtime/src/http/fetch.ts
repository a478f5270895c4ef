/** A Fetch-API request handler: what `node:http` (through `toNodeListener`), Hono, Bun and Deno serve. */
export type FetchHandler = (request: Request) => Response | Promise<Response>

/** A handler that may decline a request: `undefined` means "not mine", the next one answers. */
export type RuntimeHandler = (request: Request) => Promise<Response | undefined>

/** A JSON response. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  })
}

/** The path of an absolute request URL, without parsing the whole URL (it is on the hot path). */
export function pathOf(url: string): string {
  const scheme = url.indexOf('://')
  const start = url.indexOf('/', scheme < 0 ? 0 : scheme + 3)
  if (start < 0) return '/'
  const query = url.indexOf('?', start)
  return query < 0 ? url.slice(start) : url.slice(start, query)
}
