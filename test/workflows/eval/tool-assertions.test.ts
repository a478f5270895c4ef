/**
 * The agent assertions as config: their values are validated when the plan is made, with the
 * file and line of the assertion, and `tool-calls-valid` needs the suite's declared tools.
 */
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../../src/errors.js'
import { silentLogger } from '../../../src/logger.js'
import { evaluate } from '../../../src/workflows/eval/index.js'
import { tempProject } from '../../helpers/project.js'

const config = (assertions: string) => `version: 1
providers:
  bot: { type: mock, default: "ok" }
prompts:
  ask: { user: "Go" }
suites:
  s:
    prompt: ask
    provider: bot
    cases:
      - id: one
        assert:
${assertions}`

async function issues(assertions: string) {
  const cwd = tempProject({ 'shipgate.yaml': config(assertions) })
  const error = await evaluate({ cwd, env: {}, logger: silentLogger }).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(ConfigError)
  return (error as ConfigError).issues.map((i) => `${i.file}:${i.line} ${i.message}`)
}

describe('agent assertions in config', () => {
  it('reports bad values at their line', async () => {
    expect(
      await issues(`          - { type: trajectory, value: { steps: [search], mode: sorted } }
          - { type: tool-call, value: { arguments: { q: x } } }
          - { type: levenshtein }
`),
    ).toEqual([
      'shipgate.yaml:13 invalid value for trajectory at value.mode: Invalid option: expected one of "exact"|"in-order"|"any-order"',
      'shipgate.yaml:14 invalid value for tool-call: Invalid input',
      'shipgate.yaml:15 invalid value for levenshtein: Invalid input',
    ])
  })

  it('refuses tool-calls-valid in a suite that declares no tools', async () => {
    expect(await issues('          - { type: tool-calls-valid }\n')).toEqual([
      'shipgate.yaml:13 tool-calls-valid needs the suite to declare its tools',
    ])
  })
})
