import { OpenFeature } from '@openfeature/server-sdk'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  FileFlagProvider,
  type FlagFile,
  rolloutFlag,
  setRollout,
} from '../../packages/runtime/src/flags/index.js'
import { tempDir, writeFlags } from './helpers.js'

const file: FlagFile = {
  flags: {
    prompt_version: rolloutFlag({ key: 'prompt_version', from: 'v1', to: 'v2', percent: 25 }),
    semantic_cache: { state: 'ENABLED', defaultVariant: 'on', variants: { on: true, off: false } },
    max_tokens: { state: 'ENABLED', defaultVariant: 'small', variants: { small: 256, big: 1024 } },
    limits: { state: 'ENABLED', defaultVariant: 'a', variants: { a: { rpm: 60 } } },
    retired: { state: 'DISABLED', defaultVariant: 'x', variants: { x: 'x' } },
  },
}

let dir: string
let remove: () => void
let path: string
let domain = 0

beforeEach(async () => {
  ;({ dir, remove } = tempDir())
  path = `${dir}/flags.json`
  await writeFlags(path, file)
})

afterEach(async () => {
  await OpenFeature.clearProviders()
  remove()
})

async function start() {
  const provider = new FileFlagProvider({ path, watch: false })
  const name = `evaluator-test-${++domain}`
  await OpenFeature.setProviderAndWait(name, provider)
  return { provider, client: OpenFeature.getClient(name) }
}

describe('FlagEvaluator', () => {
  it('gives every user the variant the OpenFeature client gives', async () => {
    const { provider, client } = await start()
    let v2 = 0
    for (let i = 0; i < 5_000; i++) {
      const context = { targetingKey: `user-${i}` }
      const direct = provider.evaluator.getStringValue('prompt_version', 'v0', context)
      expect(direct).toBe(await client.getStringValue('prompt_version', 'v0', context))
      if (direct === 'v2') v2++
    }
    expect(v2 / 5_000).toBeGreaterThan(0.22)
    expect(v2 / 5_000).toBeLessThan(0.28)
  })

  it('answers with the same details as the client for every type and failure', async () => {
    const { provider, client } = await start()
    const cases = [
      ['boolean', 'semantic_cache', false],
      ['number', 'max_tokens', 1],
      ['object', 'limits', {}],
      ['string', 'missing', 'fallback'],
      ['string', 'max_tokens', 'wrong type'],
      ['string', 'retired', 'kept'],
    ] as const
    for (const [type, key, fallback] of cases) {
      const direct = provider.evaluator.getDetails(type, key, fallback, { targetingKey: 'u' })
      const viaClient =
        type === 'boolean'
          ? await client.getBooleanDetails(key, fallback, { targetingKey: 'u' })
          : type === 'number'
            ? await client.getNumberDetails(key, fallback as number, { targetingKey: 'u' })
            : type === 'object'
              ? await client.getObjectDetails(key, fallback, { targetingKey: 'u' })
              : await client.getStringDetails(key, fallback as string, { targetingKey: 'u' })
      const pick = (d: {
        value: unknown
        variant?: string
        reason?: string
        errorCode?: string
      }) => [d.value, d.variant, d.reason, d.errorCode]
      expect(pick(direct), `${type} ${key}`).toEqual(pick(viaClient))
    }
    expect(provider.evaluator.getNumberValue('max_tokens', 1)).toBe(256)
    expect(provider.evaluator.getObjectValue('limits', {})).toEqual({ rpm: 60 })
    expect(provider.evaluator.getBooleanValue('semantic_cache', false)).toBe(true)
  })

  it('serves defaults, marked not ready, before the provider has loaded its file', () => {
    const provider = new FileFlagProvider({ path, watch: false })
    const details = provider.evaluator.getDetails('string', 'prompt_version', 'v1', {
      targetingKey: 'u',
    })
    expect(details).toMatchObject({ value: 'v1', reason: 'ERROR', errorCode: 'PROVIDER_NOT_READY' })
  })

  it('sees a reload at once', async () => {
    const { provider } = await start()
    const users = Array.from({ length: 2_000 }, (_, i) => ({ targetingKey: `user-${i}` }))
    const before = users.map((u) => provider.evaluator.getStringValue('prompt_version', 'v1', u))
    await writeFlags(path, setRollout(file, 'prompt_version', 100))
    expect(await provider.reload()).toMatchObject({ status: 'changed' })
    const after = users.map((u) => provider.evaluator.getStringValue('prompt_version', 'v1', u))
    expect(before.filter((v) => v === 'v1').length).toBeGreaterThan(1_000)
    expect(after.every((v) => v === 'v2')).toBe(true)
  })
})
