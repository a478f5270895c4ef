import { describe, expect, it } from 'vitest'
import { parseReleaseEnv } from '../../../src/core/release/index.js'

describe('parseReleaseEnv', () => {
  it('parses KEY=VALUE pairs, the last one for a key winning, values may hold =', () => {
    expect(
      parseReleaseEnv(['PROMPT_VERSION=v1', 'QUERY=a=b', 'PROMPT_VERSION=v2', 'EMPTY=']),
    ).toEqual({
      ok: true,
      env: { PROMPT_VERSION: 'v2', QUERY: 'a=b', EMPTY: '' },
    })
  })

  it.each([
    ['no =', 'PROMPT_VERSION', /not KEY=VALUE/],
    ['a bad name', '1BAD=x', /not an environment variable name/],
    ['a credential name', 'OPENAI_API_KEY=whatever', /OPENAI_API_KEY names a credential/],
    ['a token name', 'SLACK_TOKEN=x', /names a credential/],
    ['an Anthropic key', `NOTE=sk-ant-${'a'.repeat(30)}`, /NOTE looks like an Anthropic API key/],
    ['a GitHub token', `X=ghp_${'A'.repeat(36)}`, /looks like a GitHub token/],
  ])('refuses %s', (_label, pair, message) => {
    const result = parseReleaseEnv([pair])
    expect(result.ok).toBe(false)
    expect(result.ok ? [] : result.problems).toEqual([expect.stringMatching(message)])
  })

  it('refuses a value containing one of the known secrets, and reports every problem', () => {
    const result = parseReleaseEnv(
      ['A=prefix-hunter22long', 'B=fine', 'C_SECRET=x'],
      ['hunter22long'],
    )
    expect(result).toEqual({
      ok: false,
      problems: [
        'the value of A contains a value interpolated into the config',
        'C_SECRET names a credential',
      ],
    })
  })

  it('keeps names that merely contain a credential word inside another', () => {
    expect(parseReleaseEnv(['MONKEY_MODE=on', 'AUTHOR=ada']).ok).toBe(true)
  })
})
