/**
 * The pure mapping, on configs given as values with an in-memory file view: no disk, no
 * loader. Lines come from a stub that numbers each path by its position in a list.
 */
import { describe, expect, it } from 'vitest'
import {
  mapPromptfoo,
  type DocPath,
  type PromptfooDocument,
  type PromptfooFiles,
} from '../../../src/core/import/index.js'

const support = {
  assertionTypes: new Set(['contains', 'not-contains', 'llm-rubric', 'similar', 'javascript']),
}

/** A document whose every path is at line 1 + the number of its keys (enough to tell apart). */
function doc(value: unknown, file = 'promptfooconfig.yaml'): PromptfooDocument {
  return { file, value, line: (path: DocPath) => 1 + path.length }
}

function files(texts: Record<string, string> = {}): PromptfooFiles {
  return {
    text: (path) => texts[path],
    document: (path) =>
      texts[path] === undefined
        ? { problem: `cannot read ${path}` }
        : doc(JSON.parse(texts[path]) as unknown, path),
    glob: (pattern) => Object.keys(texts).filter((p) => p === pattern),
  }
}

describe('mapPromptfoo', () => {
  it('maps model API providers: params, key variable, base URL, env references', () => {
    const plan = mapPromptfoo(
      doc({
        providers: [
          { 'openai:responses:gpt-4o': { config: { temperature: 0.1, apiHost: 'gw.example' } } },
          {
            id: 'anthropic:messages:claude-3-5-haiku-20241022',
            label: 'fast',
            config: { apiKey: '{{env.MY_KEY}}', top_k: 5, headers: { 'x-t': '{{ env.TOKEN }}' } },
          },
        ],
        prompts: ['{{ q }}'],
        tests: [{ vars: { q: 'hi' } }],
      }),
      files(),
      support,
    )
    expect(plan.config.providers).toEqual({
      'openai-gpt-4o': {
        type: 'openai',
        model: 'gpt-4o',
        api: 'responses',
        baseUrl: 'https://gw.example/v1',
        params: { temperature: 0.1 },
      },
      fast: {
        type: 'anthropic',
        model: 'claude-3-5-haiku-20241022',
        apiKeyEnv: 'MY_KEY',
        headers: { 'x-t': '${TOKEN}' },
        params: { top_k: 5 },
      },
    })
    expect(plan.envNames).toEqual(['MY_KEY', 'TOKEN'])
    expect((plan.config.suites as Record<string, unknown>).promptfoo).toMatchObject({
      prompt: 'prompt',
      matrix: { provider: ['openai-gpt-4o', 'fast'] },
    })
    expect(plan.findings).toEqual([])
  })

  it('leaves a literal credential header out, and keeps one from the environment', () => {
    const plan = mapPromptfoo(
      doc({
        providers: [
          {
            id: 'https://api.example/a',
            config: {
              headers: { Authorization: 'Bearer abc123', 'X-Api-Key': '{{env.K}}', Accept: 'x' },
            },
          },
        ],
        prompts: ['{{ q }}'],
        tests: [{ vars: { q: 'x' } }],
      }),
      files(),
      support,
    )
    const providers = plan.config.providers as Record<string, Record<string, unknown>>
    expect(providers['https-api.example-a']?.headers).toEqual({ 'X-Api-Key': '${K}', Accept: 'x' })
    expect(plan.findings.map((f) => `${f.line} ${f.feature}`)).toEqual(['6 header Authorization'])
    expect(JSON.stringify(plan)).not.toContain('abc123')
  })

  it('reports a transformResponse function, and maps a JSON path to output', () => {
    const plan = mapPromptfoo(
      doc({
        providers: [
          { id: 'https://api.example/a', config: { transformResponse: 'json.out[0]' } },
          {
            id: 'http',
            label: 'b',
            config: { url: 'https://api.example/b', transformResponse: '(json) => json.x' },
          },
        ],
        prompts: ['{{ q }}'],
        tests: [{ vars: { q: 'x' } }],
      }),
      files(),
      support,
    )
    const providers = plan.config.providers as Record<string, Record<string, unknown>>
    expect(providers['https-api.example-a']).toMatchObject({ type: 'http', output: 'out[0]' })
    expect(plan.findings).toEqual([
      expect.objectContaining({
        kind: 'unmapped',
        line: 5,
        feature: 'provider http: transformResponse',
      }),
    ])
  })

  it('takes the grader and its embeddings from defaultTest, and labels prompts', () => {
    const plan = mapPromptfoo(
      doc({
        providers: ['openai:gpt-4o-mini'],
        prompts: [
          { raw: 'Say {{ x }}', label: 'say' },
          { id: 'file://p.txt', label: 'file one' },
        ],
        defaultTest: {
          options: {
            provider: { text: 'openai:chat:gpt-4o', embedding: 'openai:text-embedding-3-large' },
          },
          assert: [{ type: 'similar', value: '{{ x }}', threshold: 0.8 }],
        },
        tests: [{ vars: { x: 'a' }, assert: [{ type: 'not-contains', value: '{{ x }}!' }] }],
      }),
      files({ 'p.txt': 'From a file: {{ x | upper }}' }),
      support,
    )
    expect(plan.config.judge).toEqual({
      provider: 'openai-gpt-4o',
      embeddings: 'openai-text-embedding-3-large',
    })
    expect(plan.config.prompts).toEqual({
      say: 'prompts/say.liquid',
      'file-one': 'prompts/file-one.liquid',
    })
    expect(plan.files['prompts/file-one.liquid']).toBe('From a file: {{ x | upcase }}')
    // A judged value stays a template; a deterministic one is rendered with the case's vars.
    expect((plan.config.suites as Record<string, { assert: unknown }>).promptfoo?.assert).toEqual([
      { type: 'similar', value: '{{ x }}', threshold: 0.8 },
    ])
    expect(plan.cases).toEqual([
      { vars: { x: 'a' }, assert: [{ type: 'not-contains', value: 'a!' }] },
    ])
  })

  it('reports a templated value it cannot render, and types it does not know', () => {
    const plan = mapPromptfoo(
      doc({
        prompts: ['{{ q }}'],
        providers: ['echo'],
        tests: [
          {
            vars: { q: 'x' },
            assert: [
              { type: 'contains', value: '{{ q | upper }}' },
              { type: 'not-similar', value: 'y' },
              { type: 'contains', value: 'x', rubricPrompt: 'p' },
            ],
          },
        ],
      }),
      files(),
      support,
    )
    expect(plan.findings.map((f) => `${f.line} ${f.feature}: ${f.reason}`)).toEqual([
      '6 assert contains value "{{ q | upper }}": only {{ var }} substitutions are rendered at import; shipgate does not template this assertion type',
      '5 assert type "not-similar": shipgate has no `not-similar` assertion type',
      '6 assert contains: rubricPrompt: shipgate assertions have no such setting',
    ])
    expect(plan.cases).toEqual([{ vars: { q: 'x' }, assert: [{ type: 'contains', value: 'x' }] }])
  })
})
