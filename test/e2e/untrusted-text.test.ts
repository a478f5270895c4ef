import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { tempProject } from '../helpers/project.js'

/**
 * Issue 14 items 13–15 through the built CLI: a hostile case id and hostile model output under
 * GitHub Actions inject no workflow command, no terminal control and no @-mention.
 */
describe('hostile case ids and outputs under GitHub Actions', () => {
  it('inject no workflow command, no control character and notify nobody', async () => {
    const id = 'x\n::error::pwned \u001b[31mred\u0007 @here \u202eevil'
    const output = 'hello @octocat \u001b]0;title\u0007 \u202e ::warning::y'
    const dir = tempProject({
      'shipgate.yaml': `version: 1
providers:
  m: { type: mock, default: ${JSON.stringify(output)} }
prompts:
  p: { user: "q {{ n }}" }
suites:
  s: { prompt: p, provider: m, cases: cases.jsonl, assert: [{ type: equals, value: ok }] }
`,
      'cases.jsonl': `${JSON.stringify({ id, vars: { n: 1 } })}\n`,
    })
    const summary = join(dir, 'summary.md')
    const run = await runCli(
      ['ci', '--no-progress', '--comment', 'comment.md', '-o', 'report.md', '-o', 'junit.xml'],
      { cwd: dir, env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } },
    )
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('pwned')
    for (const text of [run.stdout, run.stderr]) {
      expect(text).not.toMatch(/^\s*::(error|warning)::/m)
      // eslint-disable-next-line no-control-regex
      expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/)
    }
    for (const file of [summary, join(dir, 'comment.md'), join(dir, 'report.md')]) {
      const md = readFileSync(file, 'utf8')
      expect(md).not.toMatch(/(^|[^\w`])@(here|octocat)\b/)
      // eslint-disable-next-line no-control-regex
      expect(md).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/)
      expect(md).not.toMatch(/^\s*::(error|warning)::/m)
    }
  })
})
