import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  closeShipgate,
  setupShipgate,
  suiteCases,
  type ConfigInput,
} from '../../src/vitest/index.js'
import { tempProject } from '../helpers/project.js'

/*
 * The matchers in process, on a config given as a value (no judge: deterministic types only;
 * test/e2e/vitest-matchers.test.ts runs judged ones from a project of its own in replay).
 */

const config: ConfigInput = {
  version: 1,
  providers: { bot: { type: 'mock' } },
  prompts: { ask: { user: 'Hi {{ name }}' } },
  suites: {
    s: {
      prompt: 'ask',
      provider: 'bot',
      cases: [{ id: 'ada', vars: { name: 'Ada' }, assert: [{ type: 'contains', value: 'Ada' }] }],
    },
  },
}

describe('shipgate/vitest', () => {
  it('passes, fails with the reason, and negates', async () => {
    await setupShipgate({ config, cwd: tempProject({}), env: {} })
    await expect('Hello Ada').toPass({ type: 'contains', value: 'Ada' })
    await expect('Hello Ada').not.toPass({ type: 'contains', value: 'Bob' })
    await expect(expect('Hello').toPass({ type: 'contains', value: 'Bob' })).rejects.toThrow(
      /expected the output to pass contains\n {2}✗ contains: output does not contain "Bob" \(score 0\)/,
    )
    await expect(expect('Bob').not.toPass({ type: 'contains', value: 'Bob' })).rejects.toThrow(
      /expected the output not to pass contains, but it passed/,
    )
    // A check that could not decide fails either way.
    const broken = { type: 'javascript', value: 'throw new Error("boom")' }
    await expect(expect('x').not.toPass(broken)).rejects.toThrow(/javascript could not decide/)
    await closeShipgate()
  })

  it('grades a suite case with toPassCase', async () => {
    await setupShipgate({ config, cwd: tempProject({}), env: {} })
    const [ada] = await suiteCases('s')
    await expect('Hi Ada').toPassCase(ada!)
    await expect(expect('Hi Bob').toPassCase(ada!)).rejects.toThrow(
      /expected case s\/ada to pass \(every counted assertion must pass\): score 0/,
    )
    await closeShipgate()
  })

  it('is set up once per file, and refuses an unknown cassette mode', async () => {
    const cwd = tempProject({})
    await setupShipgate({ config, cwd, env: {} })
    expect(() => setupShipgate({ config, cwd })).toThrow(/already set up/)
    await closeShipgate()
    const env = { SHIPGATE_CASSETTE_MODE: 'replya' }
    await expect(setupShipgate({ config, cwd, env })).rejects.toThrow(/not a cassette mode/)
    await closeShipgate()
  })

  it('is the only part of the package that imports vitest', () => {
    const src = fileURLToPath(new URL('../../src', import.meta.url))
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' })
    const importers = files
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => /from 'vitest(\/[^']*)?'/.test(readFileSync(join(src, f), 'utf8')))
      .map((f) => relative(src, join(src, f)))
    expect(importers).toEqual(['vitest/index.ts', 'vitest/matchers.ts'])
  })
})
