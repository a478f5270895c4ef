import { resolve } from 'node:path'
import { createCassetteFetch } from '../../cassettes/fetch.js'
import { CassetteFiles } from '../../cassettes/files.js'
import { DEFAULT_CASSETTES, type CassetteMiss, type CassetteMode } from '../../cassettes/types.js'
import type { Clock } from '../../contracts/clock.js'
import type { LoadedConfig } from '../../config/load.js'
import { configSecrets } from '../project/index.js'

/** Cassette choices of a run: flags over the config's `cassettes:` block. */
export interface CassetteChoice {
  readonly mode?: CassetteMode
  readonly dir?: string
}

/** The `fetch` HTTP providers use in a run, and whether the run is offline (replay only). */
export interface RunFetch {
  readonly fetch: typeof fetch
  readonly mode: CassetteMode
  readonly offline: boolean
  /** Writes recordings not yet on disk; call before the run ends. */
  readonly flush: () => Promise<void>
}

/**
 * The fetch for a run's providers: plain fetch when cassettes are off (no `cassettes:` block and
 * no flag), otherwise one that records and replays in the chosen mode. The config's secrets
 * (the values of its `*Env` variables and `${VAR}`s, as the run's redactor knows them) and
 * every secret shape are redacted from what is recorded.
 */
export function runFetch(
  loaded: LoadedConfig,
  choice: CassetteChoice,
  context: {
    clock: Clock
    env: Readonly<Record<string, string | undefined>>
    onMiss: (miss: CassetteMiss) => void
  },
): RunFetch {
  const configured = loaded.config.cassettes
  const mode = choice.mode ?? configured?.mode ?? 'passthrough'
  const httpFetch = lazyHttpFetch()
  if (mode === 'passthrough')
    return { fetch: httpFetch, mode, offline: false, flush: () => Promise.resolve() }
  const dir = resolve(loaded.dir, choice.dir ?? configured?.dir ?? DEFAULT_CASSETTES.dir)
  const files = new CassetteFiles(dir)
  const fetch = createCassetteFetch({
    mode,
    files,
    upstream: httpFetch,
    clock: context.clock,
    timing: configured?.timing ?? DEFAULT_CASSETTES.timing,
    secrets: configSecrets(loaded, context.env),
    ...(configured?.ignoreBodyFields === undefined
      ? {}
      : { ignoreFields: configured.ignoreBodyFields }),
    onMiss: context.onMiss,
  })
  return { fetch, mode, offline: mode === 'replay', flush: () => files.flush() }
}

/**
 * The keep-alive `fetch` of `utils/http-fetch.ts`, loaded on the first call: a run whose
 * providers make no HTTP call (mock, function, exec) does not load node:http, node:https and
 * TLS, about 10 ms of its start-up.
 */
function lazyHttpFetch(): typeof fetch {
  let loaded: typeof fetch | undefined
  return (input, init) => {
    if (loaded !== undefined) return loaded(input, init)
    return import('../../utils/http-fetch.js').then(({ httpFetch }) => {
      loaded = httpFetch
      return httpFetch(input, init)
    })
  }
}
