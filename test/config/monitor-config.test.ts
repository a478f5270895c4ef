import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load.js'
import { ConfigError } from '../../src/errors.js'
import { minimalConfig, tempProject } from '../helpers/project.js'

/* The `monitor:` section after issue 15: sequential tests, so `failAfter` is refused at its line. */

describe('monitor config', () => {
  it('defaults to alpha 0.05, 100 requests to pass, and failing an inconclusive run', async () => {
    const loaded = await loadConfig({
      cwd: tempProject({ 'shipgate.yaml': minimalConfig() }),
      env: {},
    })
    expect(loaded.config.monitor).toMatchObject({
      alpha: 0.05,
      minRequests: 100,
      onInconclusive: 'fail',
      compare: { errorRatePoints: 0.02, latencyIncreasePct: 50, costPerRequestIncreasePct: 30 },
    })
  })

  it('refuses failAfter with its file and line, saying why and what to do', async () => {
    const yaml = `${minimalConfig()}monitor:\n  interval: 30s\n  failAfter: 2\n`
    const error = await loadConfig({ cwd: tempProject({ 'shipgate.yaml': yaml }), env: {} }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ConfigError)
    const [issue] = (error as ConfigError).issues
    expect(issue).toMatchObject({ line: yaml.split('\n').indexOf('  failAfter: 2') + 1 })
    expect(issue?.file).toMatch(/shipgate\.yaml$/)
    expect(issue?.message).toBe(
      'monitor.failAfter: removed: the monitor fails as soon as a sequential test over the whole run is significant; delete this line (monitor.alpha sets how sure it must be)',
    )
  })

  it('accepts onInconclusive pass and refuses an alpha above 0.5', async () => {
    const ok = `${minimalConfig()}monitor:\n  onInconclusive: pass\n  alpha: 0.01\n`
    const loaded = await loadConfig({ cwd: tempProject({ 'shipgate.yaml': ok }), env: {} })
    expect(loaded.config.monitor).toMatchObject({ onInconclusive: 'pass', alpha: 0.01 })
    const bad = `${minimalConfig()}monitor:\n  alpha: 2\n`
    const error = await loadConfig({ cwd: tempProject({ 'shipgate.yaml': bad }), env: {} }).catch(
      (e: unknown) => e,
    )
    expect((error as ConfigError).issues[0]?.message).toMatch(/^monitor\.alpha: 2 is out of range/)
  })
})
