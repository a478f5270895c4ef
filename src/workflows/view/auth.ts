/**
 * Who may use the viewer. On loopback it needs no token, but answers only requests whose Host
 * names loopback (a page on another site cannot reach it through DNS rebinding). Anywhere else
 * it needs a token, read from an environment variable or generated and printed: a browser
 * opens the printed URL once (`/?token=…`), which trades the token for an HttpOnly, SameSite
 * cookie and drops it from the address bar; scripts send `Authorization: Bearer <token>`.
 * Everything else gets 401. The token is never logged.
 */
import { randomBytes } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { usageError } from '../../errors.js'
import { bearerCheck, isLoopback, secretCheck } from '../../utils/bearer.js'

/** The variable the viewer's token is read from unless `--token-env` names another. */
export const DEFAULT_VIEW_TOKEN_ENV = 'SHIPGATE_VIEW_TOKEN'

/** The cookie a browser keeps the token in, once it has opened the printed URL. */
export const VIEW_COOKIE = 'shipgate_view'

/** Where the token comes from. */
export interface TokenChoice {
  /** The variable to read it from (default {@link DEFAULT_VIEW_TOKEN_ENV}); must be set when named. */
  readonly tokenEnv?: string
  /** Generate a token when the variable is unset (it is printed once, in the URL to open). */
  readonly newToken?: boolean
}

/** The viewer's token, and whether it was generated here (then it is printed, once). */
export interface ViewToken {
  readonly token: string
  readonly generated: boolean
}

/**
 * The viewer's token on `host`, or `null` when it needs none (loopback, no token asked for).
 * A non-loopback host with no token is refused: anyone who can reach it could read the store.
 */
export function viewToken(
  host: string,
  choice: TokenChoice,
  env: Readonly<Record<string, string | undefined>>,
): ViewToken | null {
  const name = choice.tokenEnv ?? DEFAULT_VIEW_TOKEN_ENV
  const token = env[name]
  if (token !== undefined && token !== '') return { token, generated: false }
  if (choice.tokenEnv !== undefined)
    throw usageError(
      `environment variable ${name} (--token-env) is not set`,
      `set ${name} to the token the viewer should require, or pass --new-token to have one generated`,
    )
  if (choice.newToken === true)
    return { token: randomBytes(24).toString('base64url'), generated: true }
  if (isLoopback(host)) return null
  throw usageError(
    `the viewer on ${host} would be reachable from other machines, and it has no token`,
    `set ${name} (or name another variable with --token-env), pass --new-token to have one generated and printed, or bind 127.0.0.1`,
  )
}

/**
 * The middleware that lets a request through, or answers 401 (wrong or missing token), 421
 * (a loopback viewer asked for by another host name) or 303 (a token in the URL, traded for
 * the cookie).
 */
export function viewGuard(token: string | null, loopback: boolean): MiddlewareHandler {
  const header = token === null ? null : bearerCheck(token)
  const cookie = token === null ? null : secretCheck(token)
  return async (c, next) => {
    // The URL's host is the request's Host header (the node adapter builds it from that).
    if (loopback && token === null && !isLoopback(hostname(new URL(c.req.url).host))) {
      return c.text('this viewer answers only on a loopback address (127.0.0.1, localhost)', 421)
    }
    if (header === null || cookie === null) return next()
    if (header(c.req.header('authorization')) || cookie(cookieValue(c.req.header('cookie'))))
      return next()
    const url = new URL(c.req.url)
    const offered = url.searchParams.get('token')
    if (offered !== null && cookie(offered)) {
      url.searchParams.delete('token')
      c.header(
        'Set-Cookie',
        `${VIEW_COOKIE}=${encodeURIComponent(token ?? '')}; Path=/; HttpOnly; SameSite=Strict`,
      )
      return c.redirect(`${url.pathname}${url.search}`, 303)
    }
    c.header('WWW-Authenticate', 'Bearer realm="shipgate view"')
    return c.text(
      'a token is required: open the URL `shipgate view` printed (it ends in ?token=…), or send "Authorization: Bearer <token>"',
      401,
    )
  }
}

/** The host name of a Host header, without its port or an IPv6 address's brackets. */
function hostname(host: string): string {
  const bracketed = /^\[([^\]]+)\]/.exec(host)
  if (bracketed !== null) return bracketed[1] ?? ''
  return host.replace(/:\d+$/, '')
}

function cookieValue(header: string | undefined): string | undefined {
  if (header === undefined) return undefined
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=')
    if (name === VIEW_COOKIE) {
      try {
        return decodeURIComponent(value.join('='))
      } catch {
        return undefined
      }
    }
  }
  return undefined
}
