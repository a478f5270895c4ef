import { mkdirSync, writeFileSync } from 'node:fs'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { type FileWatch, watchPath } from '../../packages/runtime/src/flags/watch.js'
import { silentLogger } from '../../src/logger.js'
import { tempDir } from './helpers.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const temp = tempDir()
let watch: FileWatch | undefined

afterEach(() => {
  watch?.close()
  watch = undefined
})

/** Resolves once `calls()` reaches `n`, polling every 10 ms; rejects after 5 s. */
async function until(calls: () => number, n: number): Promise<void> {
  for (let waited = 0; calls() < n; waited += 10) {
    if (waited > 5_000) throw new Error(`${calls()} calls after 5 s, expected ${n}`)
    await sleep(10)
  }
}

describe('watchPath', () => {
  it('debounces a burst of writes into one call', async () => {
    const path = `${temp.dir}/burst.json`
    writeFileSync(path, '0')
    let calls = 0
    watch = watchPath(path, {
      mode: 'auto',
      debounceMs: 60,
      pollIntervalMs: 1_000,
      onChange: () => calls++,
      logger: silentLogger,
    })
    await until(() => calls, 1) // the call after the start
    for (let i = 1; i <= 5; i++) writeFileSync(path, String(i))
    await until(() => calls, 2)
    await sleep(150)
    expect(calls).toBe(2)
  })

  it('falls back to polling when file events cannot be had', async () => {
    const dir = `${temp.dir}/later`
    const warnings: string[] = []
    let calls = 0
    watch = watchPath(`${dir}/flags.json`, {
      mode: 'auto',
      debounceMs: 10,
      pollIntervalMs: 20,
      onChange: () => calls++,
      logger: { ...silentLogger, warn: (m) => warnings.push(m) },
    })
    expect(warnings.join()).toMatch(/polling instead/)
    await until(() => calls, 1)
    await sleep(100) // polling's first stat
    mkdirSync(dir)
    writeFileSync(`${dir}/flags.json`, '{}')
    await until(() => calls, 2)
  })

  it('calls nothing after close', async () => {
    const path = `${temp.dir}/closed.json`
    writeFileSync(path, '0')
    let calls = 0
    const w = watchPath(path, {
      mode: 'poll',
      debounceMs: 10,
      pollIntervalMs: 20,
      onChange: () => calls++,
      logger: silentLogger,
    })
    await until(() => calls, 1)
    await sleep(100)
    writeFileSync(path, '12')
    await until(() => calls, 2)
    w.close()
    writeFileSync(path, '123')
    await sleep(120)
    expect(calls).toBe(2)
  })
})

afterAll(() => temp.remove())
