import { startFakeServer, writeJson, type Exchange, type FakeServer } from './server.js'

/** A comment as the fake stores it and GitHub's REST API answers it. */
export interface FakeComment {
  readonly id: number
  body: string
  readonly user: { readonly login: string }
  readonly html_url: string
  readonly created_at: string
  updated_at: string
}

/** Options of {@link startFakeGitHub}. */
export interface FakeGitHubOptions {
  /** The token `Authorization: Bearer` must carry; anything else is a 401. */
  readonly token: string
  /** `owner/repo` it hosts; other repositories are 404s. */
  readonly repo: string
  /** Comments already on each PR, by number. */
  readonly comments?: Readonly<Record<number, readonly string[]>>
  /** The largest page size it serves (GitHub's is 100). */
  readonly maxPerPage?: number
}

/** A running fake of GitHub's issue-comments API. */
export interface FakeGitHub extends FakeServer {
  /** The comments of each PR, in creation order. */
  readonly comments: Map<number, FakeComment[]>
}

const PAGE = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/
const ONE = /^\/repos\/([^/]+\/[^/]+)\/issues\/comments\/(\d+)$/

/**
 * GitHub's REST API for issue comments on 127.0.0.1: list (paginated by `per_page` and `page`,
 * with a `Link` header), create and update, with bearer-token checking and GitHub's error bodies.
 */
export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const comments = new Map<number, FakeComment[]>()
  let nextId = 1000
  let url = ''
  const make = (pr: number, body: string): FakeComment => {
    const id = (nextId += 1)
    const at = new Date(Date.UTC(2026, 0, 1, 0, 0, id - 1000)).toISOString()
    const html_url = `https://github.com/${options.repo}/pull/${pr}#issuecomment-${id}`
    return {
      id,
      body,
      user: { login: 'github-actions[bot]' },
      html_url,
      created_at: at,
      updated_at: at,
    }
  }
  for (const [pr, bodies] of Object.entries(options.comments ?? {}))
    comments.set(
      Number(pr),
      bodies.map((b) => make(Number(pr), b)),
    )

  const handle = (ex: Exchange): Promise<void> => {
    const { method, path, headers, body } = ex.request
    if (headers.authorization !== `Bearer ${options.token}`)
      return error(ex, 401, 'Bad credentials')
    const target = new URL(path, 'http://fake')
    const list = PAGE.exec(target.pathname)
    const one = ONE.exec(target.pathname)
    if ((list ?? one)?.[1] !== options.repo) return error(ex, 404, 'Not Found')
    if (list !== null && method === 'GET') {
      const pr = Number(list[2])
      const perPage = Math.min(
        Number(target.searchParams.get('per_page') ?? 30),
        options.maxPerPage ?? 100,
      )
      const page = Number(target.searchParams.get('page') ?? 1)
      const all = comments.get(pr) ?? []
      const last = Math.max(1, Math.ceil(all.length / perPage))
      const link = (p: number, rel: string): string =>
        `<${url}${target.pathname}?per_page=${perPage}&page=${p}>; rel="${rel}"`
      const links = [
        ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
        ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : []),
      ]
      const headers: Record<string, string> = links.length === 0 ? {} : { link: links.join(', ') }
      writeJson(ex.res, 200, all.slice((page - 1) * perPage, page * perPage), headers)
      return Promise.resolve()
    }
    const text = (body as { body?: unknown } | null)?.body
    if (typeof text !== 'string') return error(ex, 422, 'Invalid request: body is missing')
    if (list !== null && method === 'POST') {
      const pr = Number(list[2])
      const created = make(pr, text)
      comments.set(pr, [...(comments.get(pr) ?? []), created])
      writeJson(ex.res, 201, created)
      return Promise.resolve()
    }
    const found = [...comments.values()].flat().find((c) => c.id === Number(one?.[2]))
    if (one !== null && method === 'PATCH' && found !== undefined) {
      found.body = text
      found.updated_at = new Date(Date.UTC(2026, 0, 2)).toISOString()
      writeJson(ex.res, 200, found)
      return Promise.resolve()
    }
    return error(ex, 404, 'Not Found')
  }
  const server = await startFakeServer(handle)
  url = server.url
  return Object.assign(server, { comments })
}

function error(ex: Exchange, status: number, message: string): Promise<void> {
  const documentation_url = 'https://docs.github.com/rest'
  writeJson(ex.res, status, { message, documentation_url, status: String(status) })
  return Promise.resolve()
}
