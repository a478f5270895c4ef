import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

describe('generated docs', () => {
  it('docs/cli.md and docs/config.md match the CLI and the schema (run `npm run docs` when this fails)', () => {
    const script = fileURLToPath(new URL('../../scripts/gen-docs.mjs', import.meta.url))
    const result = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' })
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
  })
})
