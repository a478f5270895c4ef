/**
 * The contract every notifier passes (src/contracts/notifier.ts, src/notifiers/post.ts): it is
 * built without touching the environment and named by its config; it delivers one POST per
 * event; it rejects — never throws synchronously — naming a missing or invalid variable; it
 * retries what may succeed later (a 503, a 429 after its retry-after, a refused connection) and
 * gives up at once on a 4xx; no rejection or log line ever contains its URL (for Slack the URL
 * is the secret); and it stops when its signal aborts. Built through `createNotifiers`, which
 * goes through the builtin map.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Clock } from '../../src/contracts/clock.js'
import type { Notifier, PipelineEvent } from '../../src/contracts/notifier.js'
import { createLogger } from '../../src/logger.js'
import { createNotifiers, type NotifierConfig } from '../../src/notifiers/index.js'
import { freePort } from '../helpers/services.js'
import { startWebhookCatcher, type CatcherOptions, type WebhookCatcher } from '../fakes/webhook.js'

/** A notifier's config, with its URL read from the variable {@link URL_VAR}. */
export type NotifierHarness = NotifierConfig

/** The variable every harness reads its URL from. */
export const URL_VAR = 'URL_VAR'

/** The event every clause sends; the harness's config subscribes to its type. */
export const CONTRACT_EVENT: PipelineEvent = {
  type: 'rollback.succeeded',
  severity: 'warning',
  summary: 'production rolled back to rel-000000000001',
  at: '2026-11-30T12:00:00.000Z',
  target: 'production',
}

/** A URL path as secret as a Slack webhook's: it must never be repeated. */
const SECRET_PATH = '/services/T0000/B0000/s3cr3t-t0ken'

/** Runs the contract against notifiers built from `config`. */
export function notifierContract(name: string, config: NotifierHarness): void {
  describe(`${name} (notifier contract)`, () => {
    const catchers: WebhookCatcher[] = []
    afterEach(async () => {
      await Promise.all(catchers.splice(0).map((c) => c.close()))
    })
    const catcher = async (options?: CatcherOptions): Promise<WebhookCatcher> => {
      const started = await startWebhookCatcher(options)
      catchers.push(started)
      return started
    }

    it('is named by its config, and keeps its events (all when absent)', () => {
      const [plain, named, all] = createNotifiers(
        [config, { ...config, name: 'on-call' }, { ...config, events: undefined }],
        build({}).deps,
      )
      expect(plain?.name).toBe(config.type)
      expect(named?.name).toBe('on-call')
      expect(plain?.events).toEqual([CONTRACT_EVENT.type])
      expect(all?.events).toBeUndefined()
    })

    it("sends one POST per event, as JSON, with the summary and shipgate's user agent", async () => {
      const server = await catcher()
      await build({ [URL_VAR]: `${server.url}/in` }).notifier.notify(CONTRACT_EVENT, live())
      expect(server.requests.map((r) => [r.method, r.path])).toEqual([['POST', '/in']])
      const [request] = server.requests
      expect(request?.raw).toContain(CONTRACT_EVENT.summary)
      expect(request?.json).toBeDefined()
      expect(request?.headers['content-type']).toMatch(/^application\/json/)
      expect(request?.headers['user-agent']).toMatch(/^shipgate\//)
    })

    it('is built without its variable, and rejects naming it when it sends', async () => {
      const { notifier } = build({})
      const pending = notifier.notify(CONTRACT_EVENT, live())
      await expect(pending).rejects.toThrow(`${URL_VAR} is not set`)
    })

    it('rejects an invalid URL naming the variable, never its value', async () => {
      const { notifier } = build({ [URL_VAR]: 'ftp://s3cr3t-t0ken@example.com' })
      const error = await rejection(notifier.notify(CONTRACT_EVENT, live()))
      expect(error.message).toContain(URL_VAR)
      expect(error.message).not.toContain('s3cr3t')
    })

    it('retries a 503, and waits the retry-after of a 429', async () => {
      const server = await catcher({
        reply: (i) =>
          [{ status: 503 }, { status: 429, headers: { 'retry-after': '7' } }][i] ?? { status: 200 },
      })
      const { notifier, sleeps } = build({ [URL_VAR]: server.url })
      await notifier.notify(CONTRACT_EVENT, live())
      expect(server.requests).toHaveLength(3)
      expect(sleeps).toHaveLength(2)
      expect(sleeps[1]).toBe(7_000)
    })

    it('gives up on a 4xx after one POST, repeating the URL nowhere', async () => {
      const server = await catcher({ reply: () => ({ status: 404, body: 'no_service' }) })
      const built = build({ [URL_VAR]: `${server.url}${SECRET_PATH}` })
      const error = await rejection(built.notifier.notify(CONTRACT_EVENT, live()))
      expect(server.requests).toHaveLength(1)
      expect(error.message).toContain('404')
      for (const text of [error.message, ...built.logged]) expect(text).not.toContain('s3cr3t')
    })

    it('retries a refused connection, then rejects with the cause, repeating the URL nowhere', async () => {
      const built = build({ [URL_VAR]: `http://127.0.0.1:${await freePort()}${SECRET_PATH}` })
      const error = await rejection(built.notifier.notify(CONTRACT_EVENT, live()))
      expect(built.sleeps.length).toBeGreaterThan(0)
      expect(error.message).toContain('ECONNREFUSED')
      for (const text of [error.message, ...built.logged]) expect(text).not.toContain('s3cr3t')
    })

    it('stops when its signal aborts', async () => {
      const server = await catcher({ reply: () => ({ status: 200, delayMs: 5_000 }) })
      const controller = new AbortController()
      const { notifier } = build({ [URL_VAR]: server.url }, { realClock: true })
      const pending = notifier.notify(CONTRACT_EVENT, controller.signal)
      // Aborted once the POST is in flight, with the answer still 5 s away.
      await server.received(1)
      const aborted = Date.now()
      controller.abort()
      await expect(pending).rejects.toThrow(/cancelled/)
      expect(Date.now() - aborted).toBeLessThan(1_000)
      expect(server.requests).toHaveLength(1)
    })

    /**
     * The notifier of `config` with `env`, logging into `logged` at debug level; its backoff
     * waits are recorded in `sleeps` and take no time (unless `realClock`).
     */
    function build(env: Record<string, string>, { realClock = false } = {}) {
      const sleeps: number[] = []
      const logged: string[] = []
      const clock: Clock = {
        now: () => Date.now(),
        setTimer: (ms, callback) => {
          const timer = setTimeout(callback, ms)
          return () => clearTimeout(timer)
        },
        sleep: (ms) => {
          sleeps.push(ms)
          return Promise.resolve()
        },
      }
      const deps = {
        env,
        logger: createLogger({ level: 'debug', write: (line) => logged.push(line) }),
        retryBaseMs: 5,
        ...(realClock ? {} : { clock }),
      }
      const notifier = createNotifiers([config], deps)[0] as Notifier
      return { notifier, deps, sleeps, logged }
    }
  })
}

const live = (): AbortSignal => new AbortController().signal

async function rejection(pending: Promise<void>): Promise<Error> {
  const error = await pending.then(
    () => expect.fail('it resolved'),
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(Error)
  return error as Error
}
