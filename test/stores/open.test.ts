/**
 * Opening a store from a location: concurrent first opens migrate once, unknown URL schemes are
 * refused without writing anything, and a path whose directory cannot be made fails at once.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ShipgateError } from '../../src/errors.js'
import { openStore } from '../../src/stores/index.js'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../..', import.meta.url))

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipgate-open-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** What `openStore` throws for `location`, or undefined. */
async function refusal(location: string): Promise<ShipgateError | undefined> {
  try {
    const store = await openStore(location, dir)
    await store.close()
    return undefined
  } catch (error) {
    if (error instanceof ShipgateError) return error
    throw error
  }
}

describe('openStore', () => {
  it('migrates a new store once when six processes open it at the same moment', async () => {
    for (const attempt of [1, 2, 3]) {
      const file = join(dir, `new-${attempt}.db`)
      // Each child loads the store code, waits for the common start, then opens (migrates).
      const start = Date.now() + 1_500
      const script = `
        const { openStore } = await import(${JSON.stringify(join(root, 'dist/stores/index.js'))})
        await new Promise((resolve) => setTimeout(resolve, ${start} - Date.now()))
        const store = await openStore(${JSON.stringify(file)}, '/')
        await store.runs.list({})
        await store.close()
      `
      const children = Array.from({ length: 6 }, () =>
        run(process.execPath, ['--input-type=module', '-e', script]).then(
          () => 'ok',
          (error: { stderr?: string }) => error.stderr ?? 'failed',
        ),
      )
      expect(await Promise.all(children)).toEqual(Array(6).fill('ok'))
    }
  }, 30_000)

  it.each([
    ['mysql://user:hunter2@db.example/x'],
    ['redis://:hunter2@cache:6379/0'],
    ['https://user:hunter2@example.com/store'],
  ])(
    'refuses the unknown URL scheme of %s, naming no credential and writing nothing',
    async (url) => {
      const error = await refusal(url)
      expect(error?.code).toBe('config')
      expect(error?.message).toMatch(/store/)
      expect(`${error?.message} ${error?.hint}`).not.toContain('hunter2')
      expect(readdirSync(dir)).toEqual([])
    },
  )

  it('fails at once, as an environment error, when the directory cannot be made', async () => {
    const started = Date.now()
    const error = await refusal('/proc/shipgate-nope/x.db')
    expect(error?.code).toBe('environment')
    expect(error?.message).toContain('/proc/shipgate-nope')
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(existsSync('/proc/shipgate-nope')).toBe(false)
  })
})
