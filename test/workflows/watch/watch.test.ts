import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src/logger.js'
import { watchEval, type WatchEvent, type WatchHandle } from '../../../src/workflows/watch/index.js'
import { tempProject } from '../../helpers/project.js'

/*
 * The watch driven through real file writes in a temp project (mock provider, real SQLite
 * store): which suites each save runs, how soon, and that closing leaves nothing running.
 */

const CONFIG = `version: 1
providers:
  bot: { type: mock, default: "yes" }
prompts:
  a: prompts/a.txt
  b: prompts/b.txt
suites:
  alpha:
    prompt: a
    provider: bot
    cases: cases/alpha.yaml
    assert: [ { type: javascript, value: "file://checks/yes.js" } ]
  alpha2: { prompt: a, provider: bot, cases: [ { id: x, vars: { n: 9 } } ] }
  beta: { prompt: b, provider: bot, cases: [ { id: y, vars: { n: 1 } } ] }
`

function project(): string {
  return tempProject({
    'shipgate.yaml': CONFIG,
    'prompts/a.txt': 'A {{ n }}',
    'prompts/b.txt': 'B {{ n }}',
    'prompts/notes.md': 'not a prompt',
    'cases/alpha.yaml': '- { id: one, vars: { n: 1 } }\n',
    'checks/yes.js': 'module.exports = (output) => output === "yes"\n',
  })
}

/** The watch's events, and a wait for the next one of a kind. */
class Events {
  readonly all: WatchEvent[] = []
  private waiters: (() => void)[] = []

  push = (event: WatchEvent): void => {
    this.all.push(event)
    for (const wake of this.waiters.splice(0)) wake()
  }

  /** The next event of `kind` after the first `from` events, within `ms`. */
  async next<K extends WatchEvent['kind']>(
    kind: K,
    from: number,
    ms = 10_000,
  ): Promise<Extract<WatchEvent, { kind: K }>> {
    const deadline = Date.now() + ms
    for (;;) {
      const found = this.all.slice(from).find((e) => e.kind === kind)
      if (found !== undefined) return found as Extract<WatchEvent, { kind: K }>
      const left = deadline - Date.now()
      if (left <= 0)
        throw new Error(
          `no ${kind} event within ${ms} ms: ${this.kinds()} ${this.all.map((e) => ('error' in e ? String(e.error) : '')).join(' ')}`,
        )
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  kinds(): string {
    return this.all.map((e) => e.kind).join(', ')
  }
}

const handles: WatchHandle[] = []
afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.close()))
})

async function start(dir: string, options: { suites?: string[] } = {}) {
  const events = new Events()
  const handle = await watchEval({
    cwd: dir,
    env: {},
    logger: silentLogger,
    onEvent: events.push,
    ...options,
  })
  handles.push(handle)
  const first = await events.next('run-end', 0)
  expect(first.result.outcome).toBe('passed')
  return { events, handle }
}

/** Writes `text` to `path` under `dir` and waits for the run it starts. */
async function save(events: Events, dir: string, path: string, text: string) {
  const from = events.all.length
  const savedAt = Date.now()
  writeFileSync(join(dir, path), text)
  const started = await events.next('run-start', from)
  const ended = await events.next('run-end', from)
  return { savedAt, started, ended, from }
}

describe('eval --watch', () => {
  it('runs every suite first, then exactly the suites of a saved prompt, within 1 s', async () => {
    const dir = project()
    const { events } = await start(dir)
    const initial = events.all.find((e) => e.kind === 'run-start')
    expect(initial).toMatchObject({ suites: ['alpha', 'alpha2', 'beta'] })

    const a = await save(events, dir, 'prompts/a.txt', 'A2 {{ n }}')
    expect(a.started.suites).toEqual(['alpha', 'alpha2'])
    // From the write to the run's start: the debounce, the config loaded, the plan made.
    expect(a.started.at - a.savedAt).toBeLessThan(1000)
    const change = events.all.slice(a.from).find((e) => e.kind === 'change')
    expect(change).toMatchObject({
      files: [join(dir, 'prompts/a.txt')],
      suites: [
        { suite: 'alpha', reasons: [{ file: 'prompts/a.txt', why: 'prompt file of "a"' }] },
        { suite: 'alpha2', reasons: [{ file: 'prompts/a.txt', why: 'prompt file of "a"' }] },
      ],
    })

    const b = await save(events, dir, 'prompts/b.txt', 'B2 {{ n }}')
    expect(b.started.suites).toEqual(['beta'])
    expect(b.started.at - b.savedAt).toBeLessThan(1000)
  })

  it('runs the suites of a saved case file and assertion file', async () => {
    const dir = project()
    const { events } = await start(dir)
    const cases = await save(events, dir, 'cases/alpha.yaml', '- { id: one, vars: { n: 2 } }\n')
    expect(cases.started.suites).toEqual(['alpha'])
    // A JavaScript module is loaded once per process: the suite runs again, on the code it
    // first loaded (what the run checks of it is the assertions' business, not the watch's).
    const check = await save(events, dir, 'checks/yes.js', 'module.exports = (o) => o === "yes"\n')
    expect(check.started.suites).toEqual(['alpha'])
  })

  it('runs nothing when a file no suite depends on is saved, even beside a prompt', async () => {
    const dir = project()
    const { events } = await start(dir)
    const from = events.all.length
    writeFileSync(join(dir, 'prompts/notes.md'), 'still not a prompt')
    writeFileSync(join(dir, 'README.md'), 'hello')
    await new Promise((resolve) => setTimeout(resolve, 1200))
    const after = events.all.slice(from)
    expect(after).toEqual([])
    // The watch is alive: it still runs what a prompt save affects.
    const b = await save(events, dir, 'prompts/b.txt', 'B3 {{ n }}')
    expect(b.started.suites).toEqual(['beta'])
  })

  it('reloads a saved config: runs the suites whose entries changed; a broken one is reported and the watch goes on', async () => {
    const dir = project()
    const { events } = await start(dir)
    const edited = CONFIG.replace(
      'beta: { prompt: b, provider: bot,',
      'beta: { prompt: b, provider: bot, threshold: 0.5,',
    )
    const config = await save(events, dir, 'shipgate.yaml', edited)
    expect(config.started.suites).toEqual(['beta'])

    const from = events.all.length
    writeFileSync(join(dir, 'shipgate.yaml'), `${edited}oops: [\n`)
    const broken = await events.next('config-error', from)
    expect(String(broken.error)).not.toBe('')
    expect(events.all.slice(from).some((e) => e.kind === 'run-start')).toBe(false)

    // While the config is broken a save runs nothing that could pass: the run says why.
    const during = events.all.length
    writeFileSync(join(dir, 'prompts/a.txt'), 'A3 {{ n }}')
    const failed = await events.next('run-error', during)
    expect(String(failed.error)).toMatch(/shipgate\.yaml:\d+/)
    const fixed = await save(events, dir, 'shipgate.yaml', CONFIG)
    expect(fixed.started.suites).toEqual(['beta'])
  })

  it('keeps to --suite', async () => {
    const dir = project()
    const { events } = await start(dir, { suites: ['alpha2'] })
    expect(events.all.find((e) => e.kind === 'run-start')).toMatchObject({ suites: ['alpha2'] })
    const a = await save(events, dir, 'prompts/a.txt', 'A4 {{ n }}')
    expect(a.started.suites).toEqual(['alpha2'])
  })

  it('gathers saves made during a run into one run after it, and close stops a run in flight', async () => {
    const dir = project()
    writeFileSync(
      join(dir, 'shipgate.yaml'),
      CONFIG.replace(
        'bot: { type: mock, default: "yes" }',
        'bot: { type: mock, default: "yes", latencyMs: 400 }',
      ),
    )
    const { events, handle } = await start(dir)
    const from = events.all.length
    writeFileSync(join(dir, 'prompts/a.txt'), 'A6 {{ n }}')
    await events.next('run-start', from)
    // Both saved while alpha runs: they run together once it ends.
    writeFileSync(join(dir, 'prompts/b.txt'), 'B6 {{ n }}')
    writeFileSync(join(dir, 'cases/alpha.yaml'), '- { id: one, vars: { n: 6 } }\n')
    await events.next('run-end', from)
    const next = events.all.length
    const second = await events.next('run-start', next)
    expect(second.suites).toEqual(['alpha', 'beta'])
    await handle.close()
    const ended = await events.next('run-end', next)
    expect(ended.result.outcome).toBe('interrupted')
  })

  it('close aborts nothing left and stops watching: a later save runs nothing', async () => {
    const dir = project()
    const { events, handle } = await start(dir)
    await handle.close()
    const from = events.all.length
    writeFileSync(join(dir, 'prompts/a.txt'), 'A5 {{ n }}')
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect(events.all.slice(from)).toEqual([])
  })
})
