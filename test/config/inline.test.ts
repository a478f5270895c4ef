import { describe, expect, it } from 'vitest'
import { configJsonSchema } from '../../src/config/json-schema.js'
import { loadConfig } from '../../src/config/load.js'
import type { ConfigInput } from '../../src/config/schema.js'
import { ConfigError, ShipgateError, type ConfigIssue } from '../../src/errors.js'
import { canonicalJson, sha256 } from '../../src/utils/hash.js'
import { minimalConfig, tempProject } from '../helpers/project.js'

/** A config as a library caller writes it: an inline prompt, inline cases, a mock provider. */
function inline(): ConfigInput {
  return {
    version: 1,
    providers: { bot: { type: 'mock', default: 'Hello Ada' } },
    prompts: { hello: { system: 'Be brief.', user: 'Say hello to {{ name }}' } },
    suites: {
      greet: {
        prompt: 'hello',
        provider: 'bot',
        cases: [{ id: 'one', vars: { name: 'Ada' }, assert: [{ type: 'contains', value: 'Ada' }] }],
      },
    },
  }
}

async function issuesOf(config: unknown, cwd = tempProject({})): Promise<ConfigIssue[]> {
  const error = await loadConfig({ cwd, env: {}, config: config as ConfigInput }).catch(
    (e: unknown) => e,
  )
  if (error instanceof ConfigError) return [...error.issues]
  throw new Error(`expected a ConfigError, got ${String(error)}`)
}

describe('loadConfig with a config value', () => {
  it('loads it like a file: defaults applied, cwd as its directory, no file', async () => {
    const cwd = tempProject({})
    const config = inline()
    const loaded = await loadConfig({ cwd, env: {}, config })
    expect(loaded.file).toBeNull()
    expect(loaded.dir).toBe(cwd)
    expect(loaded.hash).toBe(sha256(canonicalJson(config)))
    expect(loaded.config.gate.baseline).toBe('main')
    expect(loaded.config.runner.concurrency).toBe(8)
    expect(loaded.suites[0]?.cases[0]?.location).toEqual({
      file: '<inline config>',
      path: 'suites.greet.cases.0',
    })
    expect(loaded.prompts.get('hello')?.render({ name: 'Ada' })).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Say hello to Ada' },
    ])
    expect(config).toEqual(inline())
  })

  it('resolves relative paths (templates, case files) against cwd', async () => {
    const cwd = tempProject({
      'prompts/hello.liquid': 'Hi {{ name }}',
      'cases.jsonl': '{"id":"a","vars":{"name":"Bo"}}\n',
    })
    const config = { ...inline(), prompts: { hello: 'prompts/hello.liquid' } }
    config.suites = { greet: { prompt: 'hello', provider: 'bot', cases: 'cases.jsonl' } }
    const loaded = await loadConfig({ cwd, env: {}, config })
    expect(loaded.prompts.get('hello')?.render({ name: 'Bo' })).toEqual([
      { role: 'user', content: 'Hi Bo' },
    ])
    expect(loaded.suites[0]?.cases[0]?.location).toMatchObject({
      file: 'cases.jsonl',
      line: 1,
    })
  })

  it('interpolates ${VAR} from env into a copy and keeps the values to redact', async () => {
    const config = inline()
    config.providers = { bot: { type: 'mock', default: 'token ${TOKEN}' } }
    const loaded = await loadConfig({ cwd: tempProject({}), env: { TOKEN: 'abc123' }, config })
    expect(loaded.config.providers.bot).toMatchObject({ default: 'token abc123' })
    expect(loaded.secrets).toEqual(['abc123'])
    expect(config.providers.bot).toMatchObject({ default: 'token ${TOKEN}' })
    const issues = await issuesOf(config)
    expect(issues).toEqual([
      {
        file: '<inline config>',
        path: 'providers.bot.default',
        message: 'environment variable TOKEN is not set',
        hint: 'export TOKEN=..., or write ${TOKEN:-default} for a fallback',
      },
    ])
  })

  it('names the key path of a wrong value, with the usual hint', async () => {
    const config = inline()
    Object.assign(config.suites.greet as object, { threshold: 'high', treshold: 0.9 })
    const issues = await issuesOf(config)
    expect(issues).toEqual([
      {
        file: '<inline config>',
        path: 'suites.greet.threshold',
        message: 'suites.greet.threshold: expected number, got string "high"',
      },
      {
        file: '<inline config>',
        path: 'suites.greet.treshold',
        message: 'unknown key "treshold" in suites.greet',
        hint: 'did you mean "threshold"?',
      },
    ])
    const error = await loadConfig({ cwd: tempProject({}), env: {}, config })
      .then(() => undefined)
      .catch((e: unknown) => e as ConfigError)
    expect(error?.message).toContain(
      '<inline config> at suites.greet.treshold: unknown key "treshold" in suites.greet\n  hint: did you mean "threshold"?',
    )
  })

  it('applies the cross-field rules and checks inline cases, naming their paths', async () => {
    const config = inline()
    Object.assign(config.suites.greet as object, { provider: 'bott' })
    expect(await issuesOf(config)).toEqual([
      {
        file: '<inline config>',
        path: 'suites.greet.provider',
        message: 'suite "greet" uses provider "bott", which is not defined under providers',
        hint: 'did you mean "bot"?',
      },
    ])
    Object.assign(config.suites.greet as object, { provider: 'bot', cases: [{ vars: 'Ada' }] })
    expect(await issuesOf(config)).toEqual([
      {
        file: '<inline config>',
        path: 'suites.greet.cases.0.vars',
        message: 'suites.greet.cases.0.vars: expected record, got string "Ada"',
      },
    ])
  })

  it('refuses a config file and a config value together', async () => {
    const cwd = tempProject({ 'shipgate.yaml': minimalConfig() })
    const error = await loadConfig({ cwd, env: {}, file: 'shipgate.yaml', config: inline() }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ShipgateError)
    expect((error as ShipgateError).exitCode).toBe(2)
  })
})

describe('the function provider in files', () => {
  it('is a config error in a YAML file, pointing at the library API', async () => {
    const text = minimalConfig().replace('type: mock', 'type: function\n    call: review.js')
    const cwd = tempProject({ 'shipgate.yaml': text })
    const error = await loadConfig({ cwd, env: {} }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).issues).toEqual([
      {
        file: 'shipgate.yaml',
        line: 4,
        column: 11,
        message:
          'provider "bot" has type function, which only a config passed from code can use: its `call` is a JavaScript function',
        hint: 'pass the config as `config: {...}` to evaluate() from JavaScript, or call your code from this file with type exec or http',
      },
    ])
  })

  it('is left out of the JSON Schema, which lists every other provider type', () => {
    const schema = configJsonSchema() as {
      properties: {
        providers: {
          additionalProperties: { oneOf: { properties: Record<string, { const?: string }> }[] }
        }
      }
    }
    const types = schema.properties.providers.additionalProperties.oneOf.map(
      (p) => p.properties.type?.const,
    )
    expect(types).toEqual(['mock', 'anthropic', 'openai', 'http', 'exec'])
  })
})
