import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  buildManifest,
  modelOf,
  releaseId,
  releasePrompt,
  type ReleaseInputs,
} from '../../../src/core/release/index.js'

const sha = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`

function inputs(overrides: Partial<ReleaseInputs> = {}): ReleaseInputs {
  return {
    name: null,
    createdAt: '2026-11-30T12:00:00.000Z',
    code: { commit: 'c0ffee', branch: 'main', dirty: false },
    prompts: {
      greet: [{ role: 'user', source: 'Hello {{ name }}', file: 'prompts/greet.liquid' }],
      chat: [
        { role: 'system', source: 'Be brief.' },
        { role: 'user', source: '{{ q }}' },
      ],
    },
    providers: {
      bot: {
        type: 'anthropic',
        model: 'claude-3-5-haiku-20241022',
        apiKeyEnv: 'ANTHROPIC_API_KEY',
        headers: { 'x-api-key': 'sk-ant-should-never-appear' },
        params: { temperature: 0.2, max_tokens: 512, api_key: 'nope', auth_token: 'nope' },
        stream: true,
      },
      agent: { type: 'http', url: 'http://127.0.0.1:9/agent', headers: { Authorization: 'x' } },
    },
    flags: { path: 'flags.json', text: '{"flags":{}}' },
    configText: 'version: 1\n',
    env: { PROMPT_VERSION: 'v2', APP_MODE: 'prod' },
    ...overrides,
  }
}

describe('buildManifest', () => {
  it('hashes prompts, flags and config as sha256 of their text', () => {
    const m = buildManifest(inputs())
    expect(m.prompts.greet).toEqual({ hash: sha('Hello {{ name }}'), path: 'prompts/greet.liquid' })
    expect(m.prompts.chat?.path).toBeNull()
    expect(m.flags).toEqual({ path: 'flags.json', hash: sha('{"flags":{}}') })
    expect(m.configHash).toBe(sha('version: 1\n'))
    expect(m.env).toEqual({ APP_MODE: 'prod', PROMPT_VERSION: 'v2' })
  })

  it('records model ids and parameters, never credentials or headers', () => {
    const m = buildManifest(inputs())
    expect(m.models).toEqual({
      agent: { type: 'http', model: null, params: {} },
      bot: {
        type: 'anthropic',
        model: 'claude-3-5-haiku-20241022',
        params: { max_tokens: 512, temperature: 0.2 },
      },
    })
    expect(JSON.stringify(m)).not.toMatch(/sk-ant|ANTHROPIC_API_KEY|Authorization|nope/)
  })

  it('gives the same content the same id, whatever the name, time or key order', () => {
    const a = buildManifest(inputs())
    const reordered = inputs({
      name: 'v1.4.0',
      createdAt: '2027-01-01T00:00:00.000Z',
      env: { APP_MODE: 'prod', PROMPT_VERSION: 'v2' },
      providers: { agent: inputs().providers.agent!, bot: inputs().providers.bot! },
    })
    const b = buildManifest(reordered)
    expect(a.id).toMatch(/^rel-[0-9a-f]{12}$/)
    expect(b.id).toBe(a.id)
    expect(b.name).toBe('v1.4.0')
  })

  it.each<[string, Partial<ReleaseInputs>]>([
    ['a commit', { code: { commit: 'beef', branch: 'main', dirty: false } }],
    ['a dirty tree', { code: { commit: 'c0ffee', branch: 'main', dirty: true } }],
    ['a prompt', { prompts: { greet: [{ role: 'user', source: 'Hi {{ name }}' }] } }],
    ['the config', { configText: 'version: 1\n# changed\n' }],
    ['the flags', { flags: null }],
    ['the env', { env: { PROMPT_VERSION: 'v3' } }],
  ])('gives another id when %s changes', (_label, change) => {
    expect(buildManifest(inputs(change)).id).not.toBe(buildManifest(inputs()).id)
  })

  it('computes the id from the content alone', () => {
    const m = buildManifest(inputs())
    const { id, name: _name, createdAt: _createdAt, ...content } = m
    expect(releaseId(content)).toBe(id)
    expect(releaseId({ ...content, configHash: 'sha256:other' })).not.toBe(id)
  })
})

describe('releasePrompt', () => {
  it('hashes a multi-message prompt over roles and texts, so a role change counts', () => {
    const user = releasePrompt([
      { role: 'user', source: 'x' },
      { role: 'user', source: 'y' },
    ])
    const system = releasePrompt([
      { role: 'system', source: 'x' },
      { role: 'user', source: 'y' },
    ])
    expect(user.hash).not.toBe(system.hash)
    expect(user.path).toBeNull()
  })
})

describe('modelOf', () => {
  it("keeps openai's api choice and drops organization and noApiKey", () => {
    const model = modelOf({
      type: 'openai',
      model: 'gpt-4o-mini',
      api: 'responses',
      organization: 'org-x',
      noApiKey: true,
      params: { top_p: 0.9, temperature: 1 },
    })
    expect(model).toEqual({
      type: 'openai',
      model: 'gpt-4o-mini',
      params: { api: 'responses', temperature: 1, top_p: 0.9 },
    })
    expect(Object.keys(model.params)).toEqual(['api', 'temperature', 'top_p'])
  })
})
