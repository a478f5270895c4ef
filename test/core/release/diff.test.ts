import { describe, expect, it } from 'vitest'
import { diffReleases, isEmptyDiff } from '../../../src/core/release/index.js'
import { manifest } from '../../contract/store.contract.js'

const a = manifest('rel-aaaaaaaaaaaa')

describe('diffReleases', () => {
  it('is empty between equal contents', () => {
    const diff = diffReleases(a, manifest('rel-bbbbbbbbbbbb'))
    expect(diff.from).toBe('rel-aaaaaaaaaaaa')
    expect(diff.to).toBe('rel-bbbbbbbbbbbb')
    expect(isEmptyDiff(diff)).toBe(true)
  })

  it('reports a change in every part', () => {
    const b = manifest('rel-bbbbbbbbbbbb', {
      code: { commit: 'beef', branch: 'main', dirty: true },
      prompts: {
        greet: { hash: 'sha256:a2', path: 'prompts/greet.liquid' },
        summarize: { hash: 'sha256:ee', path: null },
      },
      models: {
        bot: {
          type: 'anthropic',
          model: 'claude-3-5-sonnet-20241022',
          params: { temperature: 0.7, max_tokens: 1024 },
        },
      },
      flags: { path: 'flags.json', hash: 'sha256:c2' },
      configHash: 'sha256:d2',
      env: { PROMPT_VERSION: 'v3', MODEL_VERSION: 'sonnet' },
    })
    const diff = diffReleases(a, b)
    expect(diff.code).toEqual([
      { name: 'commit', kind: 'changed', before: a.code.commit, after: 'beef' },
      { name: 'dirty', kind: 'changed', before: 'false', after: 'true' },
    ])
    expect(diff.prompts).toEqual([
      { name: 'greet', kind: 'changed', before: 'sha256:aa', after: 'sha256:a2' },
      { name: 'inline', kind: 'removed', before: 'sha256:bb', after: null },
      { name: 'summarize', kind: 'added', before: null, after: 'sha256:ee' },
    ])
    expect(diff.models).toEqual([
      { name: 'agent', kind: 'removed', before: 'http', after: null },
      {
        name: 'bot',
        kind: 'changed',
        before: 'claude-3-5-haiku-20241022',
        after: 'claude-3-5-sonnet-20241022',
      },
    ])
    expect(diff.params).toEqual([
      { name: 'bot.max_tokens', kind: 'added', before: null, after: '1024' },
      { name: 'bot.temperature', kind: 'changed', before: '0', after: '0.7' },
    ])
    expect(diff.flags).toEqual([
      { name: 'flags.json', kind: 'changed', before: 'sha256:cc', after: 'sha256:c2' },
    ])
    expect(diff.config).toEqual([
      { name: 'config', kind: 'changed', before: 'sha256:dd', after: 'sha256:d2' },
    ])
    expect(diff.env).toEqual([
      { name: 'MODEL_VERSION', kind: 'added', before: null, after: 'sonnet' },
      { name: 'PROMPT_VERSION', kind: 'changed', before: 'v2', after: 'v3' },
    ])
  })

  it('reports flags added and removed', () => {
    const none = manifest('rel-bbbbbbbbbbbb', { flags: null })
    expect(diffReleases(none, a).flags).toEqual([
      { name: 'flags.json', kind: 'added', before: null, after: 'sha256:cc' },
    ])
    expect(diffReleases(a, none).flags[0]?.kind).toBe('removed')
  })
})
