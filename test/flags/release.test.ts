import { describe, expect, it } from 'vitest'
import { activeRelease } from '../../packages/runtime/src/flags/index.js'

const manifest = {
  prompts: { 'code-review': 'v1.3.0' },
  models: { default: 'claude-3-5-sonnet-20241022', judge: 'claude-3-5-haiku-20241022' },
}

describe('activeRelease', () => {
  it('takes PROMPT_VERSION and MODEL_VERSION over the manifest', () => {
    const env = { PROMPT_VERSION: 'v1.2.0', MODEL_VERSION: 'claude-3-5-sonnet-20240620' }
    expect(activeRelease({ env, manifest })).toEqual({
      promptVersion: 'v1.2.0',
      modelVersion: 'claude-3-5-sonnet-20240620',
      source: { prompt: 'env', model: 'env' },
    })
  })

  it('resolves each version on its own: a pinned prompt keeps the manifest model', () => {
    expect(activeRelease({ env: { PROMPT_VERSION: ' v1.2.0 ' }, manifest })).toEqual({
      promptVersion: 'v1.2.0',
      modelVersion: 'claude-3-5-sonnet-20241022',
      source: { prompt: 'env', model: 'manifest' },
    })
  })

  it('reads the manifest, by name or its only or default entry', () => {
    const release = activeRelease({ env: {}, manifest, model: 'judge' })
    expect(release).toMatchObject({
      promptVersion: 'v1.3.0',
      modelVersion: 'claude-3-5-haiku-20241022',
    })
    expect(release.source).toEqual({ prompt: 'manifest', model: 'manifest' })
  })

  it('falls back to the defaults; an empty variable counts as unset', () => {
    const defaults = { promptVersion: 'v1', modelVersion: 'claude-3-5-haiku-20241022' }
    expect(activeRelease({ env: { PROMPT_VERSION: '' }, defaults })).toEqual({
      ...defaults,
      source: { prompt: 'default', model: 'default' },
    })
    expect(activeRelease({ env: {}, manifest, prompt: 'other', defaults }).promptVersion).toBe('v1')
    expect(activeRelease({ env: {} })).toEqual({
      promptVersion: undefined,
      modelVersion: undefined,
      source: { prompt: 'default', model: 'default' },
    })
  })

  it('asks which entry when the manifest has several and none is named default', () => {
    const two = { prompts: { a: 'v1', b: 'v2' } }
    expect(() => activeRelease({ env: {}, manifest: two })).toThrow(
      /lists 2 prompts \(a, b\): which one/,
    )
    expect(activeRelease({ env: { PROMPT_VERSION: 'v9' }, manifest: two }).promptVersion).toBe('v9')
  })
})
