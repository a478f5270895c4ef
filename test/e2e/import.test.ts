import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ImportReport } from '../../src/contracts/import.js'
import { runCli } from '../helpers/cli.js'
import { tempProject } from '../helpers/project.js'

const FIXTURES = join(import.meta.dirname, '../fixtures/promptfoo')

function copy(name: string): string {
  const dir = tempProject({})
  cpSync(join(FIXTURES, name), dir, { recursive: true })
  return dir
}

describe('shipgate import promptfoo (built CLI)', () => {
  it('imports, lists what is not mapped with file:line, and the result evals offline', async () => {
    const dir = copy('exec-scripts')
    const run = await runCli(['import', 'promptfoo'], { cwd: dir })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('wrote 9 files, 3 cases')
    expect(run.stdout).toContain(
      'promptfooconfig.yaml:6: provider file://provider.py: runs through a generated Python shim',
    )
    const evaluated = await runCli(['eval', '--no-progress', '--json'], { cwd: dir })
    // One case of three fails on each of the three variants, as in promptfoo.
    expect(evaluated.code).toBe(1)
    const results = JSON.parse(evaluated.stdout) as { summary: { passed: number; failed: number } }
    expect(results.summary).toMatchObject({ passed: 6, failed: 3 })
  })

  it('--check --json reports the findings and writes nothing', async () => {
    const dir = copy('unmappable')
    const run = await runCli(['import', 'promptfoo', 'promptfooconfig.yaml', '--check', '--json'], {
      cwd: dir,
    })
    expect(run.code).toBe(0)
    const report = JSON.parse(run.stdout) as ImportReport
    expect(report).toMatchObject({ checked: true, written: false })
    expect(report.findings.find((f) => f.feature === 'assert type "python"')).toMatchObject({
      file: 'promptfooconfig.yaml',
      line: 20,
      kind: 'unmapped',
    })
    expect(existsSync(join(dir, 'shipgate.yaml'))).toBe(false)
  })

  it('exits 2 instead of overwriting, and 2 without a promptfoo config', async () => {
    const dir = copy('openai-basic')
    writeFileSync(join(dir, 'shipgate.yaml'), 'version: 1\n')
    const refused = await runCli(['import', 'promptfoo'], { cwd: dir })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('already exist')
    expect(refused.stderr).toContain('--force')
    expect(readFileSync(join(dir, 'shipgate.yaml'), 'utf8')).toBe('version: 1\n')
    const forced = await runCli(['import', 'promptfoo', '--force', '--out', '.'], { cwd: dir })
    expect(forced.code).toBe(0)
    const missing = await runCli(['import', 'promptfoo'], { cwd: tempProject({}) })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('no promptfooconfig.yaml')
  })
})
