import { environmentError } from '../../errors.js'
import { redactText } from '../../utils/secrets.js'

/** The `fetch` the GitHub client calls: the global one, or a test's. */
export type Fetch = (input: string, init: RequestInit) => Promise<Response>

/** Where and as whom the GitHub REST API is called. */
export interface GithubApiOptions {
  /** API base, e.g. `https://api.github.com` or a GitHub Enterprise `https://HOST/api/v3`. */
  readonly apiUrl: string
  /** Sent as `Authorization: Bearer`; never logged, and redacted from error messages. */
  readonly token: string
  readonly userAgent: string
  readonly fetch: Fetch
}

/** An issue or pull-request comment, as far as shipgate reads it. */
export interface IssueComment {
  readonly id: number
  /** Absent or null for an empty comment. */
  readonly body?: string | null
  readonly html_url: string
}

/** The few calls shipgate makes to GitHub's REST API. */
export interface GithubApi {
  /** Every comment of an issue or PR, following `Link: rel="next"` pages of 100. */
  listComments(owner: string, repo: string, issue: number): Promise<IssueComment[]>
  createComment(owner: string, repo: string, issue: number, body: string): Promise<IssueComment>
  updateComment(owner: string, repo: string, id: number, body: string): Promise<IssueComment>
}

/** Pages followed at most when listing (10,000 comments). */
const MAX_PAGES = 100

const HINTS: Readonly<Record<number, string>> = {
  401: 'GITHUB_TOKEN is missing, invalid or expired',
  403: 'the token may not write comments: give the job `permissions: pull-requests: write` (pull requests from forks get a read-only token)',
  404: 'check --repo and --pr, and that the token can see the repository',
}

/**
 * A GitHub REST client over `fetch`. Any answer but 2xx is an environment error (exit 3) naming
 * the status and GitHub's message; the token never appears in one.
 */
export function githubApi(options: GithubApiOptions): GithubApi {
  const base = options.apiUrl.replace(/\/+$/, '')
  const origin = new URL(base).origin
  const call = async (method: string, url: string, body?: unknown): Promise<Response> => {
    const init: RequestInit = {
      method,
      headers: {
        authorization: `Bearer ${options.token}`,
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'user-agent': options.userAgent,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }
    let res: Response
    try {
      res = await options.fetch(url, init)
    } catch (error) {
      const why = describe(error)
      throw environmentError(
        `cannot reach the GitHub API at ${origin}: ${redactText(why, [options.token])}`,
        'check GITHUB_API_URL and the network',
        error,
      )
    }
    if (!res.ok) throw await apiError(method, url, res, options.token)
    return res
  }
  const repoPath = (owner: string, repo: string): string =>
    `${base}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`
  return {
    async listComments(owner, repo, issue) {
      const comments: IssueComment[] = []
      let url: string | null = `${repoPath(owner, repo)}/issues/${issue}/comments?per_page=100`
      for (let page = 0; url !== null && page < MAX_PAGES; page += 1) {
        const res = await call('GET', url)
        comments.push(...((await res.json()) as IssueComment[]))
        url = nextPage(res.headers.get('link'), origin)
      }
      return comments
    },
    async createComment(owner, repo, issue, body) {
      const res = await call('POST', `${repoPath(owner, repo)}/issues/${issue}/comments`, { body })
      return (await res.json()) as IssueComment
    },
    async updateComment(owner, repo, id, body) {
      const res = await call('PATCH', `${repoPath(owner, repo)}/issues/comments/${id}`, { body })
      return (await res.json()) as IssueComment
    },
  }
}

/**
 * The `rel="next"` URL of a `Link` header; `null` at the last page. A URL on another origin is
 * not followed: the token would go with it.
 */
export function nextPage(link: string | null, origin: string): string | null {
  if (link === null) return null
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part)
    if (match?.[2]?.split(/\s+/).includes('next') !== true) continue
    const url = match[1] as string
    return URL.canParse(url) && new URL(url).origin === origin ? url : null
  }
  return null
}

/** A failed fetch's reason: undici puts the socket's error in `cause`. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message
}

async function apiError(method: string, url: string, res: Response, token: string): Promise<Error> {
  const text = await res.text().catch(() => '')
  let message = text.slice(0, 300)
  try {
    const parsed = JSON.parse(text) as { message?: unknown }
    if (typeof parsed.message === 'string') message = parsed.message
  } catch {
    // not JSON (a proxy's HTML page): its first characters are the message
  }
  const path = new URL(url).pathname
  return environmentError(
    redactText(`GitHub API ${method} ${path}: ${res.status} ${message}`.trim(), [token]),
    HINTS[res.status] ?? 'see https://www.githubstatus.com if GitHub is failing',
  )
}
