import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadModule } from '../../src/assertions/javascript.js'
import { importUserModule } from '../../src/assertions/user-module.js'
import { sample } from './support.js'

/** Writes `text` to `path` with the modification time `second` (seconds since the epoch). */
function save(path: string, text: string, second: number): void {
  writeFileSync(path, text)
  utimesSync(path, second, second)
}

describe('importing a user module', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-user-module-'))

  it('gives the same module until the file is saved again', async () => {
    const path = join(dir, 'same.mjs')
    save(path, 'export default () => 1\n', 1_000)
    const first = await importUserModule(path)
    expect(await importUserModule(path)).toBe(first)
    expect(await import(join(dir, 'same.mjs'))).toBe(first)
  })

  it('runs an ES module as saved, each time it changes', async () => {
    const path = join(dir, 'check.mjs')
    save(path, 'export default (output) => output === "one"\n', 1_000)
    expect((await loadModule('file://check.mjs', dir))('one', sample('one'))).toBe(true)
    save(path, 'export default (output) => output === "two"\n', 2_000)
    expect((await loadModule('file://check.mjs', dir))('one', sample('one'))).toBe(false)
    expect((await loadModule('file://check.mjs', dir))('two', sample('two'))).toBe(true)
  })

  it('runs a CommonJS module as saved, each time it changes', async () => {
    const path = join(dir, 'check.cjs')
    save(path, 'module.exports = () => "first"\n', 1_000)
    expect((await loadModule('file://check.cjs', dir))('', sample(''))).toBe('first')
    save(path, 'module.exports = () => "second"\n', 2_000)
    expect((await loadModule('file://check.cjs', dir))('', sample(''))).toBe('second')
    save(path, 'module.exports = () => "third"\n', 3_000)
    expect((await loadModule('file://check.cjs', dir))('', sample(''))).toBe('third')
  })
})
