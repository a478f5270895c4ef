import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { tempProject } from '../helpers/project.js'

describe('a regex assertion with flags JavaScript does not have (issue 14: 6)', () => {
  it('is a config error, exit 2, at the file:line of the assertion, with a hint', async () => {
    const dir = tempProject({
      'shipgate.yaml': `version: 1
providers:
  m: { type: mock, default: abc }
prompts:
  p: { user: "q {{ n }}" }
suites:
  s:
    prompt: p
    provider: m
    cases:
      - vars: { n: 1 }
        assert:
          - { type: contains, value: a }
          - { type: regex, value: "/abc/zq" }
`,
    })
    const { code, stderr } = await runCli(['eval', '--no-progress'], { cwd: dir })
    expect(code).toBe(2)
    expect(stderr).toContain('shipgate.yaml:14:')
    expect(stderr).toContain('invalid flags "zq" in /abc/zq')
    expect(stderr).toMatch(/escape the slashes/)
    expect(stderr).not.toMatch(/\n\s+at /)
  })
})
