import { describe, expect, it } from 'vitest'
import { modelVersion, promptVersion, rollbackParts } from '../../../src/core/release/index.js'
import { manifest } from '../../contract/store.contract.js'

const running = manifest('rel-bbbbbbbbbbbb', {
  code: { commit: 'new', branch: 'main', dirty: false },
  prompts: { greet: { hash: 'sha256:new', path: 'prompts/greet.liquid' } },
  models: { bot: { type: 'anthropic', model: 'claude-sonnet', params: {} } },
  env: {},
})
const previous = manifest('rel-aaaaaaaaaaaa', {
  code: { commit: 'old', branch: 'main', dirty: false },
  prompts: { greet: { hash: 'sha256:old', path: 'prompts/greet.liquid' } },
  models: { bot: { type: 'anthropic', model: 'claude-haiku', params: {} } },
  env: {},
})

describe('rollbackParts', () => {
  it('moves every part that differs', () => {
    expect(rollbackParts(running, previous)).toEqual({
      code: true,
      prompt: { from: 'sha256:new', to: 'sha256:old' },
      model: { from: 'claude-sonnet', to: 'claude-haiku' },
    })
  })

  it.each([
    ['prompt', { code: false, prompt: { from: 'sha256:new', to: 'sha256:old' }, model: null }],
    ['model', { code: false, prompt: null, model: { from: 'claude-sonnet', to: 'claude-haiku' } }],
    ['code', { code: true, prompt: null, model: null }],
  ] as const)('moves only the %s when asked', (only, expected) => {
    expect(rollbackParts(running, previous, only)).toEqual(expected)
  })

  it('moves nothing between releases of the same parts', () => {
    const same = { ...running, id: 'rel-cccccccccccc', name: 'again' }
    expect(rollbackParts(running, same)).toEqual({ code: false, prompt: null, model: null })
  })

  it('treats a dirty tree as code to move, since its content is unknown', () => {
    const dirty = { ...running, code: { ...running.code, dirty: true } }
    expect(rollbackParts(dirty, running).code).toBe(true)
  })

  it('uses the versions the releases pin in env, under the configured names', () => {
    const from = { ...running, env: { PV: 'v3', MV: 'sonnet' } }
    const to = { ...previous, env: { PV: 'v2', MV: 'haiku' } }
    const parts = rollbackParts(from, to, undefined, { prompt: 'PV', model: 'MV' })
    expect(parts.prompt).toEqual({ from: 'v3', to: 'v2' })
    expect(parts.model).toEqual({ from: 'sonnet', to: 'haiku' })
  })

  it('sees a parameter change as a model change', () => {
    const warmer = {
      ...running,
      models: { bot: { type: 'anthropic', model: 'claude-sonnet', params: { temperature: 1 } } },
    }
    expect(rollbackParts(warmer, running, 'model').model).toEqual({
      from: 'claude-sonnet',
      to: 'claude-sonnet',
    })
  })
})

describe('promptVersion and modelVersion', () => {
  it('digest several prompts and models into one version, and give null for none', () => {
    const many = manifest('rel-dddddddddddd', { env: {} })
    expect(promptVersion(many)).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(modelVersion(many)).toBe('claude-3-5-haiku-20241022')
    expect(promptVersion({ ...many, prompts: {} })).toBeNull()
    expect(modelVersion({ ...many, models: {} })).toBeNull()
  })
})
