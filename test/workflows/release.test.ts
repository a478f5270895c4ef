import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createRelease,
  diffRelease,
  envFromPairs,
  showRelease,
  type CreateReleaseOptions,
} from '../../src/workflows/release/index.js'
import type { Store } from '../../src/contracts/store.js'
import { ShipgateError } from '../../src/errors.js'
import { createLogger, silentLogger } from '../../src/logger.js'
import { openMemoryStore } from '../../src/stores/memory/index.js'
import { openSqliteStore } from '../../src/stores/sqlite/index.js'
import { deployment } from '../contract/store.contract.js'
import { tempProject, writeFiles } from '../helpers/project.js'

const CONFIG = `version: 1
providers:
  bot:
    type: anthropic
    model: claude-3-5-haiku-20241022
    params: { temperature: 0, max_tokens: 256 }
    headers: { x-extra: "\${EXTRA_HEADER}" }
prompts:
  greet: prompts/greet.liquid
  inline: { system: "Be brief.", user: "{{ q }}" }
suites:
  s:
    prompt: greet
    provider: bot
    cases: [{ vars: { name: Ada } }]
release:
  flags: flags/flags.json
ci:
  providers:
    bot: { model: claude-3-haiku-20240307 }
`

const sha = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`
const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8' }).trim()

const stores: Store[] = []
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close()
})

function project(): string {
  const dir = tempProject({
    'shipgate.yaml': CONFIG,
    'prompts/greet.liquid': 'Hello {{ name }}\n',
    'flags/flags.json': '{"flags":{}}\n',
    '.gitignore': '.shipgate/\n',
  })
  git(dir, 'init', '-q', '-b', 'main')
  git(dir, 'add', '.')
  git(dir, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '-m', 'init')
  return dir
}

function create(dir: string, extra: Partial<CreateReleaseOptions> = {}) {
  const store = openMemoryStore()
  stores.push(store)
  return createRelease({
    cwd: dir,
    store,
    logger: silentLogger,
    env: { EXTRA_HEADER: 'header-value-1234' },
    clock: {
      now: () => Date.parse('2026-11-30T12:00:00Z'),
      sleep: async () => {},
      setTimer: () => () => {},
    },
    ...extra,
  })
}

describe('createRelease', () => {
  it('records the commit, prompt, model, flag and config versions and writes release.json', async () => {
    const dir = project()
    const { manifest, status, file } = await create(dir, {
      name: 'v1',
      settings: { PROMPT_VERSION: 'v2' },
    })
    expect(status).toBe('created')
    expect(manifest).toMatchObject({
      name: 'v1',
      createdAt: '2026-11-30T12:00:00.000Z',
      code: { commit: git(dir, 'rev-parse', 'HEAD'), branch: 'main', dirty: false },
      prompts: {
        greet: { hash: sha('Hello {{ name }}\n'), path: 'prompts/greet.liquid' },
        inline: { path: null },
      },
      models: {
        bot: {
          type: 'anthropic',
          model: 'claude-3-5-haiku-20241022',
          params: { max_tokens: 256, temperature: 0 },
        },
      },
      flags: { path: 'flags/flags.json', hash: sha('{"flags":{}}\n') },
      configHash: sha(CONFIG),
      env: { PROMPT_VERSION: 'v2' },
    })
    expect(file).toBe(join(dir, '.shipgate', 'release.json'))
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(manifest)
    expect(readFileSync(file, 'utf8')).not.toContain('header-value-1234')
  })

  it('gives the same content the same id and keeps the first record', async () => {
    const dir = project()
    const store = openMemoryStore()
    stores.push(store)
    const first = await create(dir, { store, name: 'first' })
    const again = await create(dir, { store, name: 'second', clock: undefined })
    expect(again.status).toBe('exists')
    expect(again.manifest).toEqual(first.manifest)
    writeFiles(dir, { 'prompts/greet.liquid': 'Hi {{ name }}\n' })
    const changed = await create(dir, { store })
    expect(changed.manifest.id).not.toBe(first.manifest.id)
    expect(changed.manifest.code.dirty).toBe(true)
    const diff = await diffRelease({ cwd: dir, env: {}, store, a: 'first', b: changed.manifest.id })
    expect(diff.prompts.map((c) => c.name)).toEqual(['greet'])
    expect(diff.code).toEqual([{ name: 'dirty', kind: 'changed', before: 'false', after: 'true' }])
  })

  it('records the config as written, not its CI overrides, and warns of a dirty tree', async () => {
    const dir = project()
    writeFiles(dir, { 'notes.txt': 'untracked files do not count\n' })
    git(dir, 'add', 'notes.txt')
    const lines: string[] = []
    const { manifest } = await create(dir, {
      env: { CI: 'true', EXTRA_HEADER: 'header-value-1234' },
      logger: createLogger({ write: (l) => lines.push(l) }),
    })
    expect(manifest.models.bot?.model).toBe('claude-3-5-haiku-20241022')
    expect(lines).toEqual([
      expect.stringMatching(/^warn: the working tree has uncommitted changes/),
    ])
  })

  it('records no code outside a git repository, and says so', async () => {
    const dir = tempProject({
      'shipgate.yaml': 'version: 1\nproviders: { bot: { type: mock } }\nsuites: {}\n',
    })
    const lines: string[] = []
    const { manifest } = await create(dir, {
      logger: createLogger({ write: (l) => lines.push(l) }),
    })
    expect(manifest.code).toEqual({ commit: null, branch: null, dirty: false })
    expect(manifest.flags).toBeNull()
    expect(lines.join('\n')).toMatch(/not a git repository/)
  })

  it.each([
    [
      'a secret-shaped value',
      { NOTE: `sk-ant-${'x'.repeat(30)}` },
      /NOTE looks like an Anthropic API key/,
    ],
    ['a credential name', { OPENAI_API_KEY: 'abc' }, /OPENAI_API_KEY names a credential/],
    ['an interpolated config value', { X: 'header-value-1234' }, /interpolated/],
  ])('refuses %s in env, writing nothing', async (_label, env, message) => {
    const dir = project()
    const error: unknown = await create(dir, { settings: env }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ShipgateError)
    expect((error as ShipgateError).code).toBe('usage')
    expect((error as Error).message).toMatch(message)
    expect(existsSync(join(dir, '.shipgate', 'release.json'))).toBe(false)
  })

  it('refuses model params that hold an interpolated value', async () => {
    const dir = project()
    writeFiles(dir, {
      'shipgate.yaml': CONFIG.replace(
        'max_tokens: 256',
        'max_tokens: 256, user: "${EXTRA_HEADER}"',
      ),
    })
    await expect(create(dir)).rejects.toThrow(/provider "bot": its params hold a secret/)
  })

  it('fails with a config error when the flag file is missing', async () => {
    const dir = project()
    writeFiles(dir, { 'shipgate.yaml': CONFIG.replace('flags/flags.json', 'flags/nope.json') })
    const error: unknown = await create(dir).catch((e: unknown) => e)
    expect((error as ShipgateError).code).toBe('config')
    expect((error as Error).message).toMatch(/flags\/nope.json/)
  })

  it('writes release.json next to a store configured elsewhere', async () => {
    const dir = project()
    writeFiles(dir, { 'shipgate.yaml': `${CONFIG}store: data/db/shipgate.db\n` })
    const { file } = await create(dir)
    expect(file).toBe(join(dir, 'data', 'db', 'release.json'))
    expect(existsSync(file)).toBe(true)
  })
})

describe('showRelease', () => {
  it('names the ref and the list command when nothing matches', async () => {
    const store = openMemoryStore()
    const error: unknown = await showRelease({ cwd: '.', env: {}, store, ref: 'v9' }).catch(
      (e: unknown) => e,
    )
    expect((error as ShipgateError).code).toBe('usage')
    expect((error as Error).message).toBe('no release matches "v9"')
    expect((error as ShipgateError).hint).toMatch(/shipgate release list/)
  })
})

describe('envFromPairs', () => {
  it('splits at the first = and rejects a pair without one', () => {
    expect(envFromPairs(['A=1', 'B=x=y'])).toEqual({ A: '1', B: 'x=y' })
    expect(() => envFromPairs(['A'])).toThrow(/"A" is not KEY=VALUE/)
  })
})

describe('deployments on one SQLite file from two connections', () => {
  it('lets one of two racing begins on a target win: the database enforces it', async () => {
    const dir = tempProject({})
    const a = openSqliteStore(join(dir, 'shipgate.db'))
    const b = openSqliteStore(join(dir, 'shipgate.db'))
    stores.push(a, b)
    await a.migrate()
    await b.migrate()
    const results = await Promise.all([
      a.deployments.begin(deployment('dep-a', 'prod')),
      b.deployments.begin(deployment('dep-b', 'prod')),
    ])
    expect(results.map((r) => r.ok).sort()).toEqual([false, true])
    expect(await a.deployments.list({ target: 'prod', status: 'running' })).toHaveLength(1)
  })
})
