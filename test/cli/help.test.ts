/**
 * `shipgate --help` into a pipe prints the help rendered at build time (dist/bundle/help.txt):
 * it must be exactly what the program renders now, or a changed description would go stale.
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { CommandIO } from '../../src/cli/io.js'
import { buildProgram } from '../../src/cli/program.js'
import { silentLogger } from '../../src/logger.js'

const bin = fileURLToPath(new URL('../../bin/shipgate.js', import.meta.url))

describe('shipgate --help into a pipe', () => {
  it('prints what the program renders at 80 columns', () => {
    const io = { cwd: process.cwd(), env: {}, logger: silentLogger } as unknown as CommandIO
    const program = buildProgram([], io, () => {})
    const expected = program.helpInformation({ error: false })
    for (const flag of ['--help', '-h']) {
      expect(execFileSync(process.execPath, [bin, flag], { encoding: 'utf8' })).toBe(expected)
    }
  })
})
