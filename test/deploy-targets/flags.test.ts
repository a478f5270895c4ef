import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { DeployRequest, DeployTarget, StepOutcome } from '../../src/contracts/deploy.js'
import type { ReleaseManifest } from '../../src/contracts/release.js'
import { createFlagsTarget } from '../../src/deploy-targets/flags/index.js'
import { targetSchema, type FlagsTargetConfig } from '../../src/deploy-targets/schemas.js'
import { ShipgateError } from '../../src/errors.js'
import { silentLogger } from '../../src/logger.js'
import { compileFlags, type FlagFile, readRollout } from '../../packages/runtime/src/flags/index.js'
import { context, release } from './helpers.js'

const COMMIT = 'c0ffee1234567890'
const A = release('rel-aaaaaaaaaaaa', { name: 'v1', commit: COMMIT, env: { PROMPT_VERSION: 'v1' } })
const B = release('rel-bbbbbbbbbbbb', { commit: COMMIT, env: { PROMPT_VERSION: 'v2' } })
const C = release('rel-cccccccccccc', { commit: 'deadbeef00000000' })
const D = release('rel-dddddddddddd', { commit: COMMIT, env: { PROMPT_VERSION: 'v3' } })
const OTHER_FLAG = {
  state: 'ENABLED',
  defaultVariant: 'off',
  variants: { on: true, off: false },
} as const

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function setup(extra: Partial<FlagsTargetConfig> = {}, initial: string | null = null) {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-flags-target-'))
  dirs.push(dir)
  const path = join(dir, 'flags.json')
  writeFileSync(path, initial ?? JSON.stringify({ flags: { semantic_cache: OTHER_FLAG } }))
  const config: FlagsTargetConfig = {
    type: 'flags',
    file: 'flags.json',
    flag: 'release',
    url: 'http://127.0.0.1:8080',
    onCodeChange: 'refuse',
    ...extra,
  }
  // The flags target always shifts traffic.
  const target = createFlagsTarget('prompts', config, { logger: silentLogger }) as DeployTarget &
    Required<Pick<DeployTarget, 'shiftTraffic'>>
  const ctx = context(dir, {})
  const read = (): FlagFile => JSON.parse(readFileSync(path, 'utf8')) as FlagFile
  return { dir, path, target, ctx, read }
}

function reasonOf(outcome: StepOutcome): string {
  if (outcome.ok) throw new Error(`expected a failure, got: ${outcome.detail}`)
  return outcome.reason
}

function detailOf(outcome: StepOutcome): string {
  if (!outcome.ok) throw new Error(`expected a success, got: ${outcome.reason}`)
  return outcome.detail
}

const request = (release: ReleaseManifest, previous: ReleaseManifest | null): DeployRequest => ({
  deploymentId: 'dep-1',
  release,
  previous,
})

/** The release each of `n` users gets from the file, as the service's provider evaluates it. */
function served(file: FlagFile, n = 2_000): string[] {
  const { core } = compileFlags(JSON.stringify(file), 'flags.json')
  return Array.from(
    { length: n },
    (_, i) => core.resolveObjectEvaluation('release', {}, { targetingKey: `user-${i}` }).variant!,
  )
}

describe('the flags target', () => {
  it('serves a first release to everyone, keeping the file’s other flags', async () => {
    const { target, ctx, read } = setup()
    expect(await target.apply(request(A, null), ctx)).toMatchObject({
      ok: true,
      detail: `flags.json: flag 'release': serve ${A.id} to everyone`,
    })
    const file = read()
    expect(file.flags.semantic_cache).toEqual(OTHER_FLAG)
    expect(file.flags.release).toEqual({
      state: 'ENABLED',
      defaultVariant: A.id,
      variants: { [A.id]: { release: A.id, name: 'v1', env: { PROMPT_VERSION: 'v1' } } },
    })
    expect(new Set(served(file))).toEqual(new Set([A.id]))
  })

  it('adds the new release at 0%, ramps it with users only moving forward, and promotes it', async () => {
    const { target, ctx, read } = setup()
    await target.apply(request(A, null), ctx)
    expect(await target.apply(request(B, A), ctx)).toMatchObject({ ok: true })
    expect(readRollout(read(), 'release')).toEqual({ from: A.id, to: B.id, percent: 0 })
    expect(new Set(served(read()))).toEqual(new Set([A.id]))
    expect(read().flags.release?.variants[B.id]).toEqual({
      release: B.id,
      env: { PROMPT_VERSION: 'v2' },
    })

    let before = new Set<number>()
    for (const percent of [5, 25, 50]) {
      const shifted = await target.shiftTraffic(request(B, A), percent, ctx)
      expect(detailOf(shifted)).toContain(`${percent}%`)
      expect(readRollout(read(), 'release').percent).toBe(percent)
      const users = served(read())
      const onB = new Set(users.flatMap((r, i) => (r === B.id ? [i] : [])))
      expect(onB.size / users.length).toBeGreaterThan(percent / 100 - 0.04)
      expect(onB.size / users.length).toBeLessThan(percent / 100 + 0.04)
      for (const user of before) expect(onB.has(user)).toBe(true)
      before = onB
    }

    expect(await target.shiftTraffic(request(B, A), 100, ctx)).toMatchObject({ ok: true })
    expect(read().flags.release).toMatchObject({ defaultVariant: B.id })
    expect(Object.keys(read().flags.release?.variants ?? {})).toEqual([B.id])
    expect(read().flags.release?.targeting).toBeUndefined()
    expect(new Set(served(read()))).toEqual(new Set([B.id]))
    expect(read().flags.semantic_cache).toEqual(OTHER_FLAG)
  })

  it('rolls back mid-canary to the previous release for everyone, and removes a first release', async () => {
    const { target, ctx, read } = setup()
    await target.apply(request(A, null), ctx)
    await target.apply(request(B, A), ctx)
    await target.shiftTraffic(request(B, A), 25, ctx)
    expect(detailOf(await target.rollback(B, A, ctx))).toContain(`serve ${A.id} to everyone`)
    expect(read().flags.release).toMatchObject({ defaultVariant: A.id })
    expect(new Set(served(read()))).toEqual(new Set([A.id]))

    expect(await target.rollback(A, null, ctx)).toMatchObject({ ok: true })
    expect(read().flags.release).toBeUndefined()
    expect(read().flags.semantic_cache).toEqual(OTHER_FLAG)
  })

  it('refuses a release whose code differs, in plan (a usage error) and apply, writing nothing', async () => {
    const { target, ctx, path } = setup()
    await target.apply(request(A, null), ctx)
    const before = await readFile(path, 'utf8')
    const plan = target.plan(request(C, A), ctx)
    await expect(plan).rejects.toBeInstanceOf(ShipgateError)
    await expect(plan).rejects.toThrow(
      /changes the code \(commit c0ffee1 → deadbee\): a flags canary can move prompts and models only; deploy code with a code target \(local, kubernetes or command\)/,
    )
    const hint = await plan.then(
      () => '',
      (error: ShipgateError) => error.hint,
    )
    expect(hint).toMatch(/^if the new commit already runs in the service .*onCodeChange: warn/)
    const applied = await target.apply(request(C, A), ctx)
    expect(reasonOf(applied)).toMatch(/prompts and models only/)
    expect(await readFile(path, 'utf8')).toBe(before)
  })

  it('warns instead when the code is not known to be the same, or when told to', async () => {
    const { target, ctx } = setup()
    const noGit = { ...B, code: { commit: null, branch: null, dirty: false } }
    const dirty = { ...B, code: { ...B.code, dirty: true } }
    const warnings = async (r: ReleaseManifest) =>
      (await target.plan(request(r, A), ctx)).actions.filter((a) => a.startsWith('! warning'))
    expect(await warnings(B)).toEqual([])
    expect((await warnings(noGit))[0]).toMatch(
      /outside a git repository: whether .* changes the code is not known/,
    )
    expect((await warnings(dirty))[0]).toMatch(/uncommitted changes: the code may differ/)
    const lenient = setup({ onCodeChange: 'warn' })
    const plan = await lenient.target.plan(request(C, A), lenient.ctx)
    expect(plan.actions[0]).toMatch(/^! warning: .*changes the code.*\(onCodeChange: warn\)/)
  })

  it('plans what it will write without writing it', async () => {
    const { target, ctx, path } = setup()
    const before = await readFile(path, 'utf8')
    const first = await target.plan(request(A, null), ctx)
    expect(first.actions).toEqual([
      `write flags.json: flag 'release': serve ${A.id} to everyone (temp file + rename)`,
    ])
    await target.apply(request(A, null), ctx)
    const next = await target.plan(request(B, A), ctx)
    expect(next.actions[0]).toBe(
      `write flags.json: flag 'release': add ${B.id} at 0% (fractional by targetingKey), ${A.id} 100% (temp file + rename)`,
    )
    expect(next.actions.join('\n')).toMatch(
      /promote at 100%: serve rel-b+ to everyone; roll back: serve rel-a+ to everyone/,
    )
    expect(before).not.toBe(await readFile(path, 'utf8'))
    const after = await readFile(path, 'utf8')
    await target.plan(request(B, A), ctx)
    expect(await readFile(path, 'utf8')).toBe(after)
  })

  it('verifies the file with file:line errors and the flag’s shape', async () => {
    const missing = setup()
    rmSync(missing.path)
    expect(reasonOf(await missing.target.verify(missing.ctx))).toMatch(
      /flags\.json does not exist: create it with \{"flags": \{\}\}/,
    )

    const badJson = setup({}, '{\n  "flags": {\n    "a": 1,\n  }\n}\n')
    expect(reasonOf(await badJson.target.verify(badJson.ctx))).toMatch(
      /flags\.json:4:\d+: invalid JSON/,
    )

    const badWeight = setup(
      {},
      JSON.stringify(
        {
          flags: {
            release: {
              state: 'ENABLED',
              defaultVariant: 'a',
              variants: { a: { release: 'a', env: {} }, b: { release: 'b', env: {} } },
              targeting: {
                fractional: [
                  ['b', 10],
                  ['c', 90],
                ],
              },
            },
          },
        },
        null,
        2,
      ),
    )
    expect(reasonOf(await badWeight.target.verify(badWeight.ctx))).toMatch(
      /flags\.json:\d+:\d+: flag 'release'.*'c'/,
    )

    const foreign = setup({}, JSON.stringify({ flags: { release: { ...OTHER_FLAG } } }))
    expect(reasonOf(await foreign.target.verify(foreign.ctx))).toMatch(
      /flag 'release' in flags\.json is not a release flag: its variant 'on' is true/,
    )

    const fresh = setup()
    expect(await fresh.target.verify(fresh.ctx)).toEqual({
      ok: true,
      detail: "flags.json: flag 'release' not there yet (the first deploy adds it)",
    })
    await fresh.target.apply(request(A, null), fresh.ctx)
    await fresh.target.apply(request(B, A), fresh.ctx)
    await fresh.target.shiftTraffic(request(B, A), 25, fresh.ctx)
    expect(await fresh.target.verify(fresh.ctx)).toMatchObject({
      detail: `flags.json: flag 'release' ${B.id} 25%, ${A.id} 75%`,
    })
  })

  it('fails, writing nothing, when the file was changed outside shipgate', async () => {
    const { target, ctx, path, read } = setup()
    await target.apply(request(B, null), ctx)
    // The flag serves B, but shipgate thinks A runs.
    const before = await readFile(path, 'utf8')
    expect(reasonOf(await target.apply(request(D, A), ctx))).toMatch(
      /the flag serves rel-b+ by default, but the release deployed here last is rel-a+: the file was changed outside shipgate/,
    )
    expect(reasonOf(await target.shiftTraffic(request(D, A), 10, ctx))).toMatch(
      /is not a percentage rollout/,
    )
    expect(await readFile(path, 'utf8')).toBe(before)
    expect(read().flags.release?.defaultVariant).toBe(B.id)
  })

  it('writes atomically: a reader polling the file never sees half of it, and no temp file is left', async () => {
    const { dir, path, target, ctx } = setup()
    await target.apply(request(A, null), ctx)
    await target.apply(request(B, A), ctx)
    let reading = true
    let reads = 0
    const reader = (async () => {
      while (reading) {
        JSON.parse(await readFile(path, 'utf8'))
        reads++
      }
    })()
    for (let i = 0; i < 60; i++) {
      const outcome = await target.shiftTraffic(request(B, A), (i % 99) + 1, ctx)
      expect(outcome.ok).toBe(true)
    }
    reading = false
    await reader
    expect(reads).toBeGreaterThan(10)
    expect(readdirSync(dir).filter((f) => f !== '.state')).toEqual(['flags.json'])
  })

  it('gives its url, and null without one', async () => {
    expect(await setup().target.url(setup().ctx)).toBe('http://127.0.0.1:8080')
    const bare = setup({ url: undefined })
    expect(await bare.target.url(bare.ctx)).toBeNull()
  })

  it('is configured with a file, and defaults the flag and the code rule', () => {
    expect(targetSchema.parse({ type: 'flags', file: 'flags.json' })).toEqual({
      type: 'flags',
      file: 'flags.json',
      flag: 'release',
      onCodeChange: 'refuse',
    })
    expect(targetSchema.safeParse({ type: 'flags' }).success).toBe(false)
    expect(targetSchema.safeParse({ type: 'flags', file: 'f.json', flags: 'x' }).success).toBe(
      false,
    )
    expect(
      targetSchema.safeParse({ type: 'flags', file: 'f.json', onCodeChange: 'allow' }).success,
    ).toBe(false)
  })
})
