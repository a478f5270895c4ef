/**
 * `shipgate view`: a read-only web app over the store, on Hono and node:http. Pages are drawn on
 * the server as HTML (every value from the store goes through the reporters' one escape
 * function); the only script is the viewer's own chart code and uPlot, served from the
 * package, so it works offline and under a CSP that allows nothing from elsewhere.
 */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { getRequestListener } from '@hono/node-server'
import { Hono, type Context } from 'hono'
import type { Logger } from '../../contracts/logger.js'
import type { Store } from '../../contracts/store.js'
import { ShipgateError } from '../../errors.js'
import { renderRunsPage } from '../../reporters/view/runs.js'
import { renderTrendsPage } from '../../reporters/view/trends.js'
import { renderDeploymentPage, renderDeploymentsPage } from '../../reporters/view/deployments.js'
import { renderReleasePage, renderReleasesPage } from '../../reporters/view/releases.js'
import { renderCasePage } from '../../reporters/view/case.js'
import { renderComparePage } from '../../reporters/view/compare.js'
import { renderRunPage } from '../../reporters/view/run.js'
import { renderViewError, VIEW_CSP } from '../../reporters/view/layout.js'
import { VIEW_STYLE } from '../../reporters/view/style.js'
import { errorMessage } from '../../utils/errors.js'
import { isLoopback } from '../../utils/bearer.js'
import { listenHttp } from '../../utils/listen.js'
import { packageRoot } from '../../utils/package.js'
import { rawConfigString } from '../../config/raw.js'
import { openProjectStore, type StoreChoice } from '../project/index.js'
import { viewGuard, viewToken, type TokenChoice } from './auth.js'
import { ResultsCache } from './cache.js'
import type { Query } from './query.js'
import { loadRunsView } from './runs.js'
import { loadTrendsView, TrendPoints } from './trends.js'
import { loadDeploymentsView, loadDeploymentView } from './deployments.js'
import { loadReleasesView, loadReleaseView } from './releases.js'
import { loadCaseView, loadRunView } from './run.js'
import { loadCompareView } from './compare.js'

/** The port `shipgate view` listens on unless told otherwise. */
export const DEFAULT_VIEW_PORT = 8790

/** Options of {@link startViewer}. */
export interface ViewOptions extends StoreChoice, TokenChoice {
  /** Address to bind; 127.0.0.1 unless given. Any other needs a token. */
  readonly host?: string
  /** Port; {@link DEFAULT_VIEW_PORT} unless given, 0 picks a free one. */
  readonly port?: number
  readonly logger?: Logger
}

/** A running viewer. */
export interface Viewer {
  /** Its base URL. */
  readonly url: string
  /**
   * The URL to open in a browser: with `?token=…` when the token was generated (the only way
   * to learn it); one from the environment is not repeated (open `url/?token=…` yourself).
   */
  readonly openUrl: string
  /** Whether requests need the token. */
  readonly authenticated: boolean
  /** Stops serving and closes the store it opened. */
  close(): Promise<void>
}

/** What the app reads from. */
export interface ViewDeps {
  readonly store: Store
  readonly results: ResultsCache
  readonly token: string | null
  /** Bound to a loopback address: requests must name a loopback host. */
  readonly loopback: boolean
  /** The branch whose runs are baselines (`gate.baseline`); `main` unless given. */
  readonly baseBranch?: string
  readonly logger?: Logger
}

/** Serves the viewer until `close`. A non-loopback host without a token is refused. */
export async function startViewer(options: ViewOptions): Promise<Viewer> {
  const host = options.host ?? '127.0.0.1'
  const chosen = viewToken(host, options, options.env)
  const token = chosen?.token ?? null
  const store = options.store ?? (await openProjectStore(options))
  const app = viewApp({
    store,
    results: new ResultsCache(store),
    token,
    loopback: isLoopback(host),
    baseBranch: configuredBaseBranch(options),
    logger: options.logger,
  })
  const handle = getRequestListener(app.fetch)
  let served: Awaited<ReturnType<typeof listenHttp>>
  try {
    served = await listenHttp(
      (req, res) => void handle(req, res),
      host,
      options.port ?? DEFAULT_VIEW_PORT,
    )
  } catch (error) {
    if (options.store === undefined) await store.close()
    throw error
  }
  const { server, url } = served
  return {
    url,
    openUrl:
      chosen?.generated === true ? `${url}/?token=${encodeURIComponent(chosen.token)}` : `${url}/`,
    authenticated: token !== null,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      if (options.store === undefined) await store.close()
    },
  }
}

/** The web app: security headers, the token guard, the assets and every page. */
export function viewApp(deps: ViewDeps): Hono {
  const app = new Hono()
  app.use(async (c, next) => {
    await next()
    c.header('Content-Security-Policy', VIEW_CSP)
    c.header('X-Content-Type-Options', 'nosniff')
    c.header('Referrer-Policy', 'no-referrer')
    c.header('X-Frame-Options', 'DENY')
    c.header('Cross-Origin-Resource-Policy', 'same-origin')
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store')
  })
  app.use(viewGuard(deps.token, deps.loopback))
  // Read-only: nothing but GET (and HEAD, which Hono answers from GET).
  app.use(async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD')
      return c.text('the viewer only reads: GET and HEAD', 405, { Allow: 'GET, HEAD' })
    return next()
  })
  app.get('/assets/:name', (c) => asset(c, c.req.param('name')))
  app.get(
    '/',
    page(deps, async (q) => renderRunsPage(await loadRunsView(deps.store, q))),
  )
  const trends = new TrendPoints(deps.results)
  app.get(
    '/trends',
    page(deps, async (q) => renderTrendsPage(await loadTrendsView(deps.store, trends, q))),
  )
  app.get(
    '/releases',
    page(deps, async (q) => renderReleasesPage(await loadReleasesView(deps.store, q))),
  )
  app.get(
    '/releases/:id',
    page(deps, async (_, c) =>
      renderReleasePage(await loadReleaseView(deps.store, c.req.param('id') ?? '')),
    ),
  )
  app.get(
    '/deployments',
    page(deps, async (q) => renderDeploymentsPage(await loadDeploymentsView(deps.store, q))),
  )
  app.get(
    '/deployments/:id',
    page(deps, async (_, c) =>
      renderDeploymentPage(await loadDeploymentView(deps.store, c.req.param('id') ?? '')),
    ),
  )
  app.get(
    '/runs/:id',
    page(deps, async (q, c) => renderRunPage(await loadRunView(deps, c.req.param('id') ?? '', q))),
  )
  app.get(
    '/runs/:id/case',
    page(deps, async (q, c) =>
      renderCasePage(await loadCaseView(deps, c.req.param('id') ?? '', q)),
    ),
  )
  app.get(
    '/compare',
    page(deps, async (q) => renderComparePage(await loadCompareView(deps, q, deps.baseBranch))),
  )
  app.notFound((c) =>
    c.html(renderViewError('Not found', `nothing at ${new URL(c.req.url).pathname}`), 404),
  )
  return app
}

/** A page handler: the query in, HTML out; a usage error (an unknown run, a bad filter) is 4xx. */
export function page(deps: ViewDeps, render: (query: Query, c: Context) => Promise<string>) {
  return async (c: Context) => {
    try {
      return c.html(await render(c.req.query(), c))
    } catch (error) {
      if (error instanceof ShipgateError && error.code === 'usage') {
        const status = /^no .+ matches/.test(error.message) ? 404 : 400
        return c.html(renderViewError('Cannot show that', error.message, error.hint), status)
      }
      deps.logger?.error(`shipgate view: ${c.req.path}: ${errorMessage(error)}`)
      return c.html(renderViewError('Something went wrong', errorMessage(error)), 500)
    }
  }
}

/** The files under /assets/: the stylesheet, the viewer's script, uPlot's script and style. */
const ASSETS: Readonly<
  Record<string, { readonly type: string; readonly load: () => Promise<string> }>
> = {
  'view.css': { type: 'text/css', load: () => Promise.resolve(VIEW_STYLE) },
  'view.js': {
    type: 'text/javascript',
    load: () => readFile(join(packageRoot(), 'assets', 'view', 'view.js'), 'utf8'),
  },
  'uplot.js': {
    type: 'text/javascript',
    load: () => dependencyFile('uplot/dist/uPlot.iife.min.js'),
  },
  'uplot.css': { type: 'text/css', load: () => dependencyFile('uplot/dist/uPlot.min.css') },
}

const loaded = new Map<string, Promise<string>>()

async function asset(c: Context, name: string) {
  const file = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined
  if (file === undefined) return c.text('no such asset', 404)
  let text = loaded.get(name)
  if (text === undefined) {
    text = file.load()
    loaded.set(name, text)
  }
  return c.body(await text, 200, {
    'Content-Type': `${file.type}; charset=utf-8`,
    'Cache-Control': 'private, max-age=3600',
  })
}

function dependencyFile(specifier: string): Promise<string> {
  return readFile(createRequire(join(packageRoot(), 'package.json')).resolve(specifier), 'utf8')
}

/**
 * The config's `gate.baseline` when it names a branch (not a results file or a run id): the
 * branch the compare page looks for baselines on. Read like the store's key, from the file
 * as written, so a config that does not validate still opens the viewer.
 */
function configuredBaseBranch(options: ViewOptions): string | undefined {
  let value: unknown
  try {
    value =
      options.config !== undefined
        ? options.config.gate?.baseline
        : rawConfigString({ cwd: options.cwd, file: options.configFile }, ['gate', 'baseline'])
            .value
  } catch {
    // No config file (a library caller with a store of its own): the default branch.
    return undefined
  }
  return typeof value === 'string' && !value.endsWith('.json') && !/^\d/.test(value)
    ? value
    : undefined
}
