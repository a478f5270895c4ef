import { describe, expect, it } from 'vitest'
import { evaluate, initProject, silentLogger, openStore, loadRunResults } from '../src/index.js'
import { tempProject } from './helpers/project.js'

describe('the library entry (src/index.ts)', () => {
  it('runs an eval in process, into a store the caller owns', async () => {
    const dir = tempProject({})
    await initProject(dir, { force: false })
    const store = await openStore('memory:', dir)
    const { outcome, results } = await evaluate({ cwd: dir, env: {}, logger: silentLogger, store })
    expect(outcome).toBe('passed')
    expect(results.summary).toMatchObject({ samples: 3, passed: 3, pass: true })
    const reloaded = await loadRunResults(store, results.run.id)
    expect(reloaded.suites).toEqual(results.suites)
    await store.close()
  })
})
