import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileFlagProvider } from '../../packages/runtime/src/index.js'
import { runCli } from '../helpers/cli.js'
import { minimalConfig, tempProject } from '../helpers/project.js'

/*
 * `shipgate flags` over the built CLI (`npm run build` first): the flag file is changed only by
 * monotone ramps and compiled edits, every change lands in flags.history.jsonl, refusals exit 2
 * and leave the file as it was, and a service's FileFlagProvider watching the file follows a
 * ramp without a restart.
 */

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
const env = { USER: 'e2e-user', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' }

/** The targeting of flag `prompt` in a flag file's text. */
const targeting = (text: string): unknown =>
  (JSON.parse(text) as { flags: { prompt: { targeting?: unknown } } }).flags.prompt.targeting

const cli = (dir: string, ...args: string[]) => runCli(['flags', ...args], { cwd: dir, env })

describe('shipgate flags', () => {
  it('lists, gets, sets, ramps and shows the history', async () => {
    const dir = tempProject({ 'flags.json': FLAGS })
    const list = await cli(dir, 'list')
    expect(list.code).toBe(0)
    expect(list.stdout).toMatch(/prompt\s+on\s+v1, v2\s+v1\s+v1 to everyone/)

    const set = await cli(
      dir,
      'set',
      'cache',
      '--variant',
      'on=true',
      '--variant',
      'off=false',
      '--default',
      'off',
    )
    expect(set.code, set.stderr).toBe(0)
    expect(set.stdout).toContain(
      'cache: new flag, add variant on=true, add variant off=false, default off',
    )

    const ramp = await cli(
      dir,
      'ramp',
      'prompt',
      '--to',
      'v2',
      '--percent',
      '10',
      '--reason',
      'canary green',
    )
    expect(ramp.code, ramp.stderr).toBe(0)
    expect(ramp.stdout).toContain('prompt: v2 0% → 10% (from v1)')
    expect((await cli(dir, 'ramp', 'prompt', '--to', 'v2', '--percent', '25')).code).toBe(0)

    const got = await cli(dir, 'get', 'prompt', '--json')
    const detail = JSON.parse(got.stdout) as {
      rollout: unknown
      definition: { targeting: unknown }
    }
    expect(detail.rollout).toEqual({ from: 'v1', to: 'v2', percent: 25 })
    expect(detail.definition.targeting).toEqual({
      fractional: [
        ['v2', 25],
        ['v1', 75],
      ],
    })
    const listed = JSON.parse((await cli(dir, 'list', '--json')).stdout) as {
      flags: { key: string }[]
    }
    expect(listed.flags.map((f) => f.key)).toEqual(['prompt', 'cache'])

    const history = await cli(dir, 'history', 'prompt')
    expect(history.code).toBe(0)
    expect(history.stdout).toMatch(
      /e2e-user\s+prompt\s+ramp\s+v2 0% → 10% \(from v1\)\s+canary green/,
    )
    expect(history.stdout).toMatch(/e2e-user\s+prompt\s+ramp\s+v2 10% → 25% \(from v1\)/)
    expect(history.stdout).not.toContain('cache')
    const lines = readFileSync(join(dir, 'flags.history.jsonl'), 'utf8').trim().split('\n')
    expect(lines).toHaveLength(3)
    expect(JSON.parse(lines[2] as string)).toMatchObject({
      flag: 'prompt',
      who: 'e2e-user',
      action: 'ramp',
    })
  })

  it('refuses a non-monotone ramp with exit 2 and leaves the file and history unchanged', async () => {
    const dir = tempProject({ 'flags.json': FLAGS })
    expect((await cli(dir, 'ramp', 'prompt', '--to', 'v2', '--percent', '50')).code).toBe(0)
    const file = readFileSync(join(dir, 'flags.json'), 'utf8')
    const history = readFileSync(join(dir, 'flags.history.jsonl'), 'utf8')

    const back = await cli(dir, 'ramp', 'prompt', '--to', 'v2', '--percent', '20')
    expect(back.code).toBe(2)
    expect(back.stderr).toContain(
      "refused: flag 'prompt' serves 'v2' to 50% of users; 20% would move 30% of users from 'v2' back to 'v1'",
    )
    expect(back.stderr).toContain('hint: to roll back on purpose, pass --rollback')
    expect(readFileSync(join(dir, 'flags.json'), 'utf8')).toBe(file)
    expect(readFileSync(join(dir, 'flags.history.jsonl'), 'utf8')).toBe(history)
    const other = await cli(dir, 'set', 'prompt', '--variant', 'v3=v3')
    expect(other.code).toBe(0)
    const switched = await cli(dir, 'ramp', 'prompt', '--to', 'v3', '--percent', '60')
    expect(switched.code).toBe(2)
    expect(switched.stderr).toContain("ramping to 'v3' would move those users off 'v2'")
    const afterSet = readFileSync(join(dir, 'flags.json'), 'utf8')
    expect(targeting(afterSet)).toEqual(targeting(file))

    const rollback = await cli(dir, 'ramp', 'prompt', '--rollback', '--reason', 'errors up')
    expect(rollback.code, rollback.stderr).toBe(0)
    expect(rollback.stdout).toContain('prompt: v2 50% → 0% (from v1)')
    const recorded = readFileSync(join(dir, 'flags.history.jsonl'), 'utf8')
    expect(recorded.startsWith(history)).toBe(true)
    expect(
      recorded
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { action: string }).action),
    ).toEqual(['ramp', 'set', 'rollback'])
  })

  it('refuses an invalid flag file with file:line, in validate and before any change', async () => {
    const dir = tempProject({ 'flags.json': FLAGS.replace('"ENABLED"', '"ON"') })
    const valid = await cli(dir, 'validate')
    expect(valid.code).toBe(2)
    expect(valid.stderr).toContain(
      `${join(dir, 'flags.json')}:4:16: flag 'prompt': state must be one of ENABLED, DISABLED`,
    )
    const ramp = await cli(dir, 'ramp', 'prompt', '--to', 'v2', '--percent', '5')
    expect(ramp.code).toBe(2)
    expect(ramp.stderr).toContain(`${join(dir, 'flags.json')}:4:16:`)
    expect(readFileSync(join(dir, 'flags.json'), 'utf8')).toBe(FLAGS.replace('"ENABLED"', '"ON"'))

    const good = tempProject({
      'shipgate.yaml': `${minimalConfig()}release:\n  flags: conf/live.json\n`,
      'conf/live.json': FLAGS,
    })
    const ok = await cli(good, 'validate')
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.stdout).toBe(`${join(good, 'conf/live.json')}: valid, 1 flag\n`)
  })

  it('moves a running FileFlagProvider within a second, without a restart', async () => {
    const dir = tempProject({ 'flags.json': FLAGS })
    const provider = new FileFlagProvider({ path: join(dir, 'flags.json') })
    await provider.initialize()
    try {
      const share = (): number => {
        let v2 = 0
        for (let i = 0; i < 2000; i++) {
          if (
            provider.evaluator.getStringValue('prompt', 'none', { targetingKey: `u${i}` }) === 'v2'
          )
            v2++
        }
        return v2 / 2000
      }
      expect(share()).toBe(0)
      const ramp = await cli(dir, 'ramp', 'prompt', '--to', 'v2', '--percent', '30')
      expect(ramp.code, ramp.stderr).toBe(0)
      const written = Date.now()
      while (share() === 0 && Date.now() - written < 5000)
        await new Promise((r) => setTimeout(r, 10))
      const followedMs = Date.now() - written
      expect(followedMs).toBeLessThan(1000)
      expect(share()).toBeGreaterThan(0.27)
      expect(share()).toBeLessThan(0.33)
    } finally {
      await provider.onClose()
    }
  })
})
