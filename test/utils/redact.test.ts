import { describe, expect, it } from 'vitest'
import { createRedactor } from '../../src/utils/redact.js'
import { configSecrets } from '../../src/workflows/project/secrets.js'
import { loadProjectConfig } from '../../src/workflows/project/index.js'
import { tempProject } from '../helpers/project.js'
import type { LoadedConfig } from '../../src/config/load.js'
import { plantedSecrets } from '../helpers/secrets.js'

const planted = plantedSecrets(3)

describe('the redactor', () => {
  it('replaces the values it was told, and secret shapes, in text and in JSON', () => {
    const redactor = createRedactor(['plain-value-of-a-key'])
    expect(redactor.text('key plain-value-of-a-key and ' + planted.anthropic)).toBe(
      'key [REDACTED] and [REDACTED]',
    )
    const when = new Date(0)
    const out = redactor.json({ a: [{ b: `x ${planted.openai} y` }], when, n: 1, z: null })
    expect(out).toEqual({ a: [{ b: 'x [REDACTED] y' }], when, n: 1, z: null })
    // Objects that are not plain JSON are kept as they are, not flattened.
    expect(out.when).toBe(when)
  })

  it('learns more values later and ignores short ones', () => {
    const redactor = createRedactor()
    redactor.add(['short', undefined, '', 'a-longer-secret'])
    expect(redactor.text('short a-longer-secret')).toBe('short [REDACTED]')
  })

  it('replaces a secret that contains another one whole', () => {
    const redactor = createRedactor(['abcdefgh', 'abcdefgh-ijklmnop'])
    expect(redactor.text('<abcdefgh-ijklmnop>')).toBe('<[REDACTED]>')
  })
})

describe('the secrets a config names', () => {
  it('are the values of every secret *Env setting, store: env:NAME and every ${VAR}, not version labels', () => {
    const config = {
      store: 'env:TEAM_DB',
      providers: { a: { type: 'openai', apiKeyEnv: 'A_KEY' } },
      notify: [{ type: 'webhook', urlEnv: 'HOOK_URL', secretEnv: 'HOOK_SECRET' }],
      deploy: { promptVersionEnv: 'PROMPT_VERSION' },
    }
    const loaded = { config, secrets: ['interpolated-value'] } as unknown as LoadedConfig
    const env = {
      A_KEY: 'the-a-key',
      HOOK_URL: 'https://hooks.example/x',
      HOOK_SECRET: 'hmac',
      PROMPT_VERSION: 'v12',
      TEAM_DB: 'postgres://ci:pw-0123456@db.internal/shipgate',
      UNRELATED: 'nothing',
    }
    expect(configSecrets(loaded, env).sort()).toEqual(
      [
        'hmac',
        'https://hooks.example/x',
        'interpolated-value',
        'the-a-key',
        'postgres://ci:pw-0123456@db.internal/shipgate',
      ].sort(),
    )
  })
})

describe('a stage that loads the config', () => {
  it("teaches the caller's redactor the config's secrets", async () => {
    const redactor = createRedactor()
    await loadProjectConfig({
      cwd: tempProject({}),
      env: { MY_KEY: 'value-of-my-key' },
      redactor,
      config: {
        version: 1,
        providers: { m: { type: 'openai', model: 'gpt-4o-mini', apiKeyEnv: 'MY_KEY' } },
        prompts: { p: { user: 'hi' } },
        suites: { s: { prompt: 'p', provider: 'm', cases: [{ id: 'a' }] } },
      },
    })
    expect(redactor.text('said value-of-my-key')).toBe('said [REDACTED]')
  })
})

describe('redactor.json', () => {
  it('returns a value with nothing to redact as itself, and copies only the path to a secret', () => {
    const redactor = createRedactor(['value-of-my-key'])
    const clean = { id: 'a', grades: [{ reason: 'ok', score: 1 }], usage: { input: 3 } }
    expect(redactor.json(clean)).toBe(clean)
    const leaky = { ...clean, output: 'the key is value-of-my-key' }
    const redacted = redactor.json(leaky)
    expect(redacted).not.toBe(leaky)
    expect(redacted.output).toBe('the key is [REDACTED]')
    expect(leaky.output).toBe('the key is value-of-my-key')
    expect(redacted.grades).toBe(clean.grades)
    expect(redactor.json(['x', 'value-of-my-key'])).toEqual(['x', '[REDACTED]'])
  })
})
