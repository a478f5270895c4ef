import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load.js'
import { ConfigError } from '../../src/errors.js'
import { DEFAULT_STORE } from '../../src/stores/index.js'
import { openProjectStore, storeLocation } from '../../src/workflows/project/store.js'
import { minimalConfig, tempProject } from '../helpers/project.js'

/*
 * `store: env:NAME`: the store's location (a Postgres URL with its password) read from the
 * variable NAME, as `store copy` reads `env:NAME`; an unset variable is a config error at the
 * `store:` line, whichever way the config is read.
 */

const URL_WITH_PASSWORD = 'postgres://ci:s3cret-pw-0123@db.internal:5432/shipgate'
const config = (store: string) => `${minimalConfig()}store: ${store}\n`
/** The line `store:` is on: the one after minimalConfig()'s. */
const STORE_LINE = minimalConfig().split('\n').length

/** The ConfigError `work` throws. */
async function configError(work: () => unknown): Promise<ConfigError> {
  const error = await Promise.resolve()
    .then(work)
    .then(
      () => undefined,
      (e: unknown) => e,
    )
  expect(error).toBeInstanceOf(ConfigError)
  return error as ConfigError
}

describe('storeLocation with store: env:NAME', () => {
  it('reads the location from the variable, a password included', () => {
    expect(storeLocation({ TEAM_DB: URL_WITH_PASSWORD }, 'env:TEAM_DB')).toBe(URL_WITH_PASSWORD)
    expect(storeLocation({ TEAM_DB: 'team.db' }, 'env:TEAM_DB')).toBe('team.db')
  })

  it('lets SHIPGATE_DATABASE_URL override it, set or not', () => {
    const env = { SHIPGATE_DATABASE_URL: URL_WITH_PASSWORD }
    expect(storeLocation(env, 'env:TEAM_DB')).toBe(URL_WITH_PASSWORD)
    expect(storeLocation({ ...env, TEAM_DB: 'team.db' }, 'env:TEAM_DB')).toBe(URL_WITH_PASSWORD)
  })

  it('is a config error naming the variable and where store: is, when unset or empty', async () => {
    const where = { file: 'shipgate.yaml', line: 7, column: 8 }
    for (const env of [{}, { TEAM_DB: '' }]) {
      const error = await configError(() => storeLocation(env, 'env:TEAM_DB', where))
      expect(error.issues).toEqual([
        {
          ...where,
          message: 'store: env:TEAM_DB names the environment variable TEAM_DB, which is not set',
          hint: "export TEAM_DB with the store's location (in CI, from a secret), or set SHIPGATE_DATABASE_URL",
        },
      ])
      expect(error.message).toMatch(/^shipgate\.yaml:7:8: store: env:TEAM_DB /)
    }
    expect(storeLocation({}, undefined)).toBe(DEFAULT_STORE)
  })
})

describe('store: env:NAME in shipgate.yaml', () => {
  it('loads when the variable is set, and fails at the store: line when it is not', async () => {
    const dir = tempProject({ 'shipgate.yaml': config('env:TEAM_DB') })
    const loaded = await loadConfig({ cwd: dir, env: { TEAM_DB: URL_WITH_PASSWORD } })
    expect(loaded.config.store).toBe('env:TEAM_DB')
    // SHIPGATE_DATABASE_URL wins over the config: nothing to read from TEAM_DB then.
    await loadConfig({ cwd: dir, env: { SHIPGATE_DATABASE_URL: URL_WITH_PASSWORD } })

    const error = await configError(() => loadConfig({ cwd: dir, env: {} }))
    expect(error.issues).toMatchObject([
      {
        file: 'shipgate.yaml',
        line: STORE_LINE,
        column: 8,
        message: expect.stringContaining('TEAM_DB') as string,
      },
    ])
  })

  it('fails at the line for the commands that read only store: (runs, release list)', async () => {
    const dir = tempProject({ 'shipgate.yaml': config('env:TEAM_DB') })
    const error = await configError(() => openProjectStore({ cwd: dir, env: {} }))
    expect(error.message).toMatch(
      new RegExp(`^shipgate\\.yaml:${STORE_LINE}:8: store: env:TEAM_DB names .* TEAM_DB`),
    )
    const inline = await configError(() =>
      openProjectStore({
        cwd: dir,
        env: {},
        config: { version: 1, providers: {}, suites: {}, store: 'env:TEAM_DB' },
      }),
    )
    expect(inline.message).toMatch(/^<inline config> at store: store: env:TEAM_DB/)
    const store = await openProjectStore({ cwd: dir, env: { TEAM_DB: 'memory:' } })
    await store.close()
  })

  it('refuses an env: without a variable name, at the line', async () => {
    for (const bad of ['env:', 'env:1DB', 'env:TEAM-DB']) {
      const dir = tempProject({ 'shipgate.yaml': config(`"${bad}"`) })
      const error = await configError(() => loadConfig({ cwd: dir, env: {} }))
      expect(error.issues).toMatchObject([
        {
          file: 'shipgate.yaml',
          line: STORE_LINE,
          message: expect.stringContaining('env:NAME') as string,
        },
      ])
    }
  })
})
