/**
 * The CLI and @shipgate/runtime share one definition of the coded errors (ADR 0006): an error
 * thrown by flags code inside the CLI is the CLI's own class, so cli/main.ts maps it to its
 * exit code. Checked on the sources (as the unit tests run them) and on the built packages.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { compileFlags } from '@shipgate/runtime/flags'
import { describe, expect, it } from 'vitest'
import * as runtimeErrors from '../../packages/runtime/src/errors.js'
import { ConfigError, ShipgateError } from '../../src/errors.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

describe('one ShipgateError for the CLI and the runtime', () => {
  it('is the class flags code throws, in the sources', () => {
    // Tests import runtime modules by path and CLI modules by package: both must be one module.
    expect(ShipgateError).toBe(runtimeErrors.ShipgateError)
    const thrown = catchError(() => compileFlags('{ not json', 'flags.json'))
    expect(thrown).toBeInstanceOf(ConfigError)
    expect(thrown).toBeInstanceOf(ShipgateError)
    expect((thrown as ShipgateError).exitCode).toBe(2)
  })

  it('is the class flags code throws, in the built packages', () => {
    if (!existsSync(`${ROOT}dist/errors.js`)) throw new Error('run `npm run build` first')
    const script = [
      "const { ShipgateError } = await import('./dist/errors.js')",
      "const { compileFlags } = await import('@shipgate/runtime/flags')",
      "try { compileFlags('{ not json', 'flags.json') } catch (error) {",
      '  console.log(error instanceof ShipgateError, error.exitCode)',
      '}',
    ].join('\n')
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
    })
    expect(run.stderr).toBe('')
    expect(run.stdout.trim()).toBe('true 2')
  })
})

function catchError(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}
