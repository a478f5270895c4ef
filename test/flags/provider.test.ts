import { createHook } from 'node:async_hooks'
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs'
import { OpenFeature, ProviderEvents, ProviderStatus } from '@openfeature/server-sdk'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/errors.js'
import {
  FileFlagProvider,
  type FileFlagProviderOptions,
  type FlagFile,
  rolloutFlag,
  setRollout,
} from '../../packages/runtime/src/flags/index.js'
import { assign, nextEvent, share, tempDir, writeFlags } from './helpers.js'

const USERS = 100_000
let dir: string
let remove: () => void
let path: string
let domain = 0

const fileAt = (percent: number): FlagFile => ({
  flags: {
    prompt_version: rolloutFlag({ key: 'prompt_version', from: 'v1', to: 'v2', percent }),
    semantic_cache: { state: 'ENABLED', defaultVariant: 'off', variants: { on: true, off: false } },
  },
})

/** A provider on its own OpenFeature domain (a fresh client state), and that domain's client. */
async function start(options: Partial<FileFlagProviderOptions> = {}) {
  const provider = new FileFlagProvider({ path, debounceMs: 20, ...options })
  const name = `flags-test-${++domain}`
  await OpenFeature.setProviderAndWait(name, provider)
  return { provider, client: OpenFeature.getClient(name) }
}

beforeEach(async () => {
  ;({ dir, remove } = tempDir())
  path = `${dir}/flags.json`
  await writeFlags(path, fileAt(10))
})

afterEach(async () => {
  await OpenFeature.clearProviders()
  remove()
})

describe('FileFlagProvider through the OpenFeature client', () => {
  it('is named shipgate-file and serves typed flags', async () => {
    const { client } = await start({ watch: false })
    expect(client.metadata.providerMetadata.name).toBe('shipgate-file')
    expect(await client.getBooleanValue('semantic_cache', true)).toBe(false)
    const details = await client.getStringDetails('missing', 'fallback')
    expect(details).toMatchObject({ value: 'fallback', errorCode: 'FLAG_NOT_FOUND' })
    // No targetingKey: fractional cannot bucket, so the default variant is served.
    expect(await client.getStringValue('prompt_version', 'x')).toBe('v1')
  })

  it(
    '10 % → 25 % over 100,000 users: ±0.5 %, and every v2 user keeps v2',
    { timeout: 120_000 },
    async () => {
      const { provider, client } = await start({ watch: false })
      const at10 = await assign(client, 'prompt_version', USERS)
      expect(Math.abs(share(at10, 'v2') - 0.1)).toBeLessThan(0.005)
      expect(share(at10, 'v1') + share(at10, 'v2')).toBe(1)

      await writeFlags(path, setRollout(fileAt(10), 'prompt_version', 25))
      expect(await provider.reload()).toEqual({
        status: 'changed',
        flagsChanged: ['prompt_version'],
      })
      const at25 = await assign(client, 'prompt_version', USERS)
      expect(Math.abs(share(at25, 'v2') - 0.25)).toBeLessThan(0.005)
      expect(at10.filter((v, i) => v === 'v2' && at25[i] !== 'v2')).toHaveLength(0)
    },
  )

  it('gives a user the same variant from a new provider and fresh client state', async () => {
    const first = await start({ watch: false })
    const before = await assign(first.client, 'prompt_version', 5_000)
    await OpenFeature.clearProviders()
    const second = await start({ watch: false })
    expect(await assign(second.client, 'prompt_version', 5_000)).toEqual(before)
  })

  it('reloads on change: ConfigurationChanged with the changed keys, then the new flags', async () => {
    const { client } = await start()
    const changed = nextEvent(client, ProviderEvents.ConfigurationChanged)
    const next = fileAt(10)
    await writeFlags(path, {
      flags: {
        ...next.flags,
        semantic_cache: { ...next.flags.semantic_cache!, defaultVariant: 'on' },
      },
    })
    expect((await changed)?.flagsChanged).toEqual(['semantic_cache'])
    expect(await client.getBooleanValue('semantic_cache', false)).toBe(true)
  })

  it('sees a Kubernetes ConfigMap update (a swap of the ..data symlink)', async () => {
    // The layout kubelet's atomic writer keeps: flags.json -> ..data/flags.json -> ..<stamp>/
    const version = (stamp: string, file: FlagFile): void => {
      mkdirSync(`${dir}/..${stamp}`)
      writeFileSync(`${dir}/..${stamp}/flags.json`, JSON.stringify(file))
    }
    path = `${dir}/mounted.json`
    version('2026_11_30_1', fileAt(10))
    symlinkSync('..2026_11_30_1', `${dir}/..data`)
    symlinkSync('..data/flags.json', path)
    const { client } = await start()
    const changed = nextEvent(client, ProviderEvents.ConfigurationChanged)
    version('2026_11_30_2', setRollout(fileAt(10), 'prompt_version', 100))
    symlinkSync('..2026_11_30_2', `${dir}/..data_tmp`)
    renameSync(`${dir}/..data_tmp`, `${dir}/..data`)
    expect((await changed)?.flagsChanged).toEqual(['prompt_version'])
    expect(await client.getStringValue('prompt_version', 'x', { targetingKey: 'u' })).toBe('v2')
  })

  it('polls when asked to', async () => {
    const { client } = await start({ watch: 'poll', pollIntervalMs: 25 })
    const changed = nextEvent(client, ProviderEvents.ConfigurationChanged)
    await writeFlags(path, setRollout(fileAt(10), 'prompt_version', 100))
    expect((await changed)?.flagsChanged).toEqual(['prompt_version'])
    expect(await client.getStringValue('prompt_version', 'x', { targetingKey: 'u' })).toBe('v2')
  })

  it('keeps the old flags when the new file is invalid, reports it, and recovers', async () => {
    const logged: string[] = []
    const logger = { ...silent, error: (m: string) => logged.push(m), child: () => logger }
    const { client, provider } = await start({ logger })
    const error = nextEvent(client, ProviderEvents.Error)
    const bad = JSON.stringify(fileAt(50), null, 2).replace('"ENABLED"', '"ON"')
    await writeFlags(path, bad)
    expect((await error)?.message).toMatch(
      /flags\.json:\d+:\d+: flag 'prompt_version': state must be one of ENABLED, DISABLED/,
    )
    expect(logged.join('\n')).toContain('the flags loaded before stay in use')
    expect(client.providerStatus).toBe(ProviderStatus.ERROR)
    const users = await assign(client, 'prompt_version', 2_000)
    expect(Math.abs(share(users, 'v2') - 0.1)).toBeLessThan(0.03) // still the 10 % file

    const ready = nextEvent(client, ProviderEvents.Ready)
    const changed = nextEvent(client, ProviderEvents.ConfigurationChanged)
    await writeFlags(path, fileAt(50))
    await ready
    expect((await changed)?.flagsChanged).toEqual(['prompt_version'])
    expect(client.providerStatus).toBe(ProviderStatus.READY)
    expect(await provider.reload()).toEqual({ status: 'unchanged' })
  })

  it('reports a missing file on reload as a value and keeps the flags', async () => {
    const { provider, client } = await start({ watch: false })
    remove()
    const result = await provider.reload()
    expect(result.status).toBe('invalid')
    expect(result.status === 'invalid' && result.error.message).toMatch(/cannot read the flag file/)
    expect(await client.getBooleanValue('semantic_cache', true)).toBe(false)
  })

  it('fails to start on an invalid file, with the ConfigError', async () => {
    await writeFlags(path, '{"flags": {"a": {"state": "ENABLED"}}}')
    const provider = new FileFlagProvider({ path })
    const failed = OpenFeature.setProviderAndWait(`flags-test-${++domain}`, provider)
    await expect(failed).rejects.toThrow(ConfigError)
    await expect(failed).rejects.toThrow(/flags\.json:1:17: flag 'a': missing required property/)
  })

  it('leaves no watcher or poller behind once closed', async () => {
    const live = new Set<number>()
    const hook = createHook({
      init: (id, type) => void (WATCHERS.has(type) && live.add(id)),
      destroy: (id) => void live.delete(id),
    }).enable()
    try {
      await start()
      await start({ watch: 'poll', pollIntervalMs: 25 })
      expect(live.size).toBe(2)
      await OpenFeature.clearProviders()
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(live.size).toBe(0)
    } finally {
      hook.disable()
    }
  })
})

const WATCHERS = new Set(['FSEVENTWRAP', 'STATWATCHER'])
const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (_m: string) => undefined,
  child: () => silent,
}
