/**
 * `shipgate proxy` as a library call: the Anthropic and OpenAI APIs served from cassettes on a
 * local port, for applications in any language. The cassette directory is the one given, else
 * the config's `cassettes.dir` when a shipgate.yaml is found, else `./cassettes`.
 */
import { resolve } from 'node:path'
import { createDeck } from '../../cassettes/deck.js'
import { CassetteFiles } from '../../cassettes/files.js'
import { startProxy } from '../../cassettes/proxy.js'
import type { CassetteMode } from '../../cassettes/types.js'
import type { Logger } from '../../contracts/logger.js'
import { rawConfigString } from '../../config/raw.js'

export { CASSETTE_MODES, type CassetteMode } from '../../cassettes/types.js'

/** Options of {@link serveCassettes}. */
export interface ProxyOptions {
  readonly cwd: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly mode: CassetteMode
  /** Cassette directory, relative to `cwd`. */
  readonly cassettes?: string
  /** Port to listen on; 0 picks a free one. */
  readonly port: number
  /** Address to bind; default 127.0.0.1. */
  readonly host?: string
  /** Replayed streams: at once, or at the pace they were recorded. */
  readonly timing: 'instant' | 'recorded'
  readonly upstreams: { readonly anthropic: string; readonly openai: string }
  readonly logger: Logger
}

/** A running proxy: its URL, what it serves, and how to stop it (recordings are flushed). */
export interface RunningProxy {
  readonly url: string
  readonly dir: string
  readonly mode: CassetteMode
  close(): Promise<void>
}

/** Starts the proxy; it serves until `close`. */
export async function serveCassettes(options: ProxyOptions): Promise<RunningProxy> {
  const dir =
    options.cassettes === undefined
      ? defaultDir(options.cwd)
      : resolve(options.cwd, options.cassettes)
  const secrets = [options.env.ANTHROPIC_API_KEY, options.env.OPENAI_API_KEY].filter(
    (v): v is string => v !== undefined && v !== '',
  )
  const files = new CassetteFiles(dir)
  // An application's test suite may run many times against one proxy: the deck cycles.
  const deck = createDeck({ mode: options.mode, files, secrets, cycle: true })
  const proxy = await startProxy({
    port: options.port,
    host: options.host,
    upstreams: options.upstreams,
    deck,
    timing: options.timing,
    logger: options.logger.child('proxy'),
  })
  return {
    url: proxy.url,
    dir,
    mode: options.mode,
    async close() {
      await proxy.close()
      await files.flush()
    },
  }
}

function defaultDir(cwd: string): string {
  try {
    const { dir, value } = rawConfigString({ cwd }, ['cassettes', 'dir'])
    return resolve(dir, value ?? 'cassettes')
  } catch {
    // No config (an application in another language): cassettes next to where it runs.
    return resolve(cwd, 'cassettes')
  }
}
