import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, ShipgateError } from '../../../src/errors.js'
import {
  flagFilePath,
  flagHistory,
  getFlag,
  listFlags,
  rampFlag,
  setFlag,
  validateFlags,
} from '../../../src/workflows/flags/index.js'
import { minimalConfig, tempProject } from '../../helpers/project.js'

const FLAGS = `{
  "flags": {
    "prompt": {
      "state": "ENABLED",
      "defaultVariant": "v1",
      "variants": { "v1": "v1", "v2": "v2" }
    }
  }
}
`
const env = { USER: 'ci-user' }
const at = (iso: string) => () => new Date(iso)

async function rejection(promise: Promise<unknown>): Promise<ShipgateError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (error instanceof ShipgateError) return error
  throw new Error(`expected a ShipgateError, got ${String(error)}`)
}

describe('flagFilePath', () => {
  it('takes --file, else release.flags of the config, else flags.json next to the config or here', async () => {
    const bare = tempProject({})
    expect(await flagFilePath({ cwd: bare, env, file: 'x/f.json' })).toBe(join(bare, 'x/f.json'))
    expect(await flagFilePath({ cwd: bare, env })).toBe(join(bare, 'flags.json'))
    const plain = tempProject({ 'shipgate.yaml': minimalConfig(), 'sub/.keep': '' })
    expect(await flagFilePath({ cwd: join(plain, 'sub'), env })).toBe(join(plain, 'flags.json'))
    const named = tempProject({
      'shipgate.yaml': `${minimalConfig()}release:\n  flags: conf/live.json\n`,
    })
    expect(await flagFilePath({ cwd: named, env })).toBe(join(named, 'conf/live.json'))
  })
})

describe('flags from the library', () => {
  it('lists, gets and validates a file', async () => {
    const dir = tempProject({ 'flags.json': FLAGS })
    const list = await listFlags({ cwd: dir, env })
    expect(list.flags).toEqual([
      expect.objectContaining({
        key: 'prompt',
        defaultVariant: 'v1',
        targeting: 'none',
        rollout: null,
      }),
    ])
    expect((await getFlag({ cwd: dir, env }, 'prompt')).definition.variants).toEqual({
      v1: 'v1',
      v2: 'v2',
    })
    expect(await validateFlags({ cwd: dir, env })).toEqual({
      file: join(dir, 'flags.json'),
      flags: 1,
    })
    const missing = await rejection(getFlag({ cwd: dir, env }, 'other'))
    expect(missing.hint).toBe('its flags are prompt')
  })

  it('refuses an invalid file with the compiler file:line errors', async () => {
    const dir = tempProject({ 'flags.json': FLAGS.replace('"ENABLED"', '"ON"') })
    const error = await rejection(validateFlags({ cwd: dir, env }))
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.exitCode).toBe(2)
    expect(error.message).toContain(
      `${join(dir, 'flags.json')}:4:16: flag 'prompt': state must be one of`,
    )
    const absent = await rejection(listFlags({ cwd: dir, env, file: 'nope.json' }))
    expect(absent.message).toBe(`${join(dir, 'nope.json')} does not exist`)
  })

  it('ramps forward and records every change, who, when, before, after and why', async () => {
    const dir = tempProject({ 'flags.json': FLAGS })
    const options = { cwd: dir, env, who: 'ada', now: at('2026-12-07T10:00:00Z') }
    const first = await rampFlag({ ...options, reason: 'canary ok' }, 'prompt', {
      to: 'v2',
      percent: 10,
    })
    expect(first.change?.summary).toBe('v2 0% → 10% (from v1)')
    expect(first.history).toBe(join(dir, 'flags.history.jsonl'))
    await rampFlag(options, 'prompt', { to: 'v2', percent: 50 })
    const written = JSON.parse(readFileSync(join(dir, 'flags.json'), 'utf8')) as {
      flags: { prompt: { targeting: unknown } }
    }
    expect(written.flags.prompt.targeting).toEqual({
      fractional: [
        ['v2', 50],
        ['v1', 50],
      ],
    })
    const history = await flagHistory({ cwd: dir, env })
    expect(history.map((c) => [c.who, c.action, c.summary, c.reason])).toEqual([
      ['ada', 'ramp', 'v2 0% → 10% (from v1)', 'canary ok'],
      ['ada', 'ramp', 'v2 10% → 50% (from v1)', null],
    ])
    expect(history[0]?.at).toBe('2026-12-07T10:00:00.000Z')
    expect(history[0]?.before?.targeting).toBeUndefined()
    expect(history[1]?.after?.targeting).toEqual({
      fractional: [
        ['v2', 50],
        ['v1', 50],
      ],
    })
    expect((await listFlags({ cwd: dir, env })).flags[0]?.rollout).toEqual({
      from: 'v1',
      to: 'v2',
      percent: 50,
    })
  })

  it('leaves the file and the history untouched when a ramp is refused or changes nothing', async () => {
    const dir = tempProject({ 'flags.json': FLAGS })
    await rampFlag({ cwd: dir, env, who: 'ada' }, 'prompt', { to: 'v2', percent: 40 })
    const file = readFileSync(join(dir, 'flags.json'), 'utf8')
    const refused = await rejection(
      rampFlag({ cwd: dir, env }, 'prompt', { to: 'v2', percent: 30 }),
    )
    expect(refused.exitCode).toBe(2)
    const same = await rampFlag({ cwd: dir, env }, 'prompt', { to: 'v2', percent: 40 })
    expect(same.change).toBeNull()
    expect(readFileSync(join(dir, 'flags.json'), 'utf8')).toBe(file)
    expect(await flagHistory({ cwd: dir, env }, 'prompt')).toHaveLength(1)
    const back = await rampFlag({ cwd: dir, env, who: 'ada' }, 'prompt', {
      rollback: true,
      to: 'v1',
    })
    expect(back.change?.action).toBe('rollback')
  })

  it('sets variants and the default; an edit that would not compile writes nothing', async () => {
    const dir = tempProject({ 'flags.json': FLAGS })
    const done = await setFlag({ cwd: dir, env }, 'prompt', { defaultVariant: 'v2' })
    expect(done.change?.who).not.toBe('')
    const file = readFileSync(join(dir, 'flags.json'), 'utf8')
    expect(JSON.parse(file)).toMatchObject({ flags: { prompt: { defaultVariant: 'v2' } } })
    const mixed = await rejection(setFlag({ cwd: dir, env }, 'prompt', { variants: { v3: 3 } }))
    expect(mixed.message).toContain(
      "the change to flag 'prompt' would make the flag file invalid, so nothing was written",
    )
    expect(readFileSync(join(dir, 'flags.json'), 'utf8')).toBe(file)
    expect(await flagHistory({ cwd: dir, env })).toHaveLength(1)
    expect(existsSync(join(dir, 'flags.history.jsonl'))).toBe(true)
  })

  it('reports a damaged history line with its file and line', async () => {
    const dir = tempProject({
      'flags.json': FLAGS,
      'flags.history.jsonl': '{"flag":"a","at":"x"}\nnot json\n',
    })
    const error = await rejection(flagHistory({ cwd: dir, env }))
    expect(error.message).toContain(
      `${join(dir, 'flags.history.jsonl')}:2: not a recorded flag change`,
    )
  })
})
