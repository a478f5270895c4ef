/**
 * The built CLI with `--batch`: a process killed (SIGKILL) while it polls its batch, then
 * `shipgate eval --resume latest` in a new process collects the stored batch without submitting
 * again (the fake counts submissions), and the grades are those of the live eval. A Ctrl-C
 * (SIGINT) while polling exits 130 and says how to collect the batch.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ResultsDocument } from '../../src/contracts/results.js'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai.js'
import { finished, runCli, startCli } from '../helpers/cli.js'
import { tempProject } from '../helpers/project.js'

let fake: FakeOpenAI | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

const env = { OPENAI_API_KEY: 'test-openai-key' }

function project(url: string): string {
  return tempProject({
    'shipgate.yaml': `version: 1
providers:
  model: { type: openai, model: gpt-4o-mini, baseUrl: "${url}/v1" }
prompts:
  ask: { user: "Question {{ n }}" }
suites:
  qa:
    prompt: ask
    provider: model
    threshold: 0.2
    assert: [{ type: regex, value: "[02468]$" }]
    cases: cases.jsonl
`,
    'cases.jsonl': Array.from({ length: 100 }, (_, n) =>
      JSON.stringify({ id: `q${n}`, vars: { n } }),
    ).join('\n'),
  })
}

/** Resolves once `ready` holds, checking every 20 ms. */
async function until(ready: () => boolean): Promise<void> {
  while (!ready()) await new Promise((r) => setTimeout(r, 20))
}

function passes(file: string): [string, boolean][] {
  const results = JSON.parse(readFileSync(file, 'utf8')) as ResultsDocument
  return results.suites.flatMap((s) => s.cases.map((c): [string, boolean] => [c.id, c.pass]))
}

describe('shipgate eval --batch', () => {
  it('a process killed while polling is resumed without paying again', async () => {
    const server = await startFakeOpenAI({ batch: { pollsBeforeDone: 3 } })
    fake = server
    const dir = project(server.url)
    const live = await runCli(['eval', '--no-progress', '-o', 'live.json'], { cwd: dir, env })
    expect(live.code, live.stderr).toBe(0)
    const child = startCli(['eval', '--batch', '--batch-poll', '5000', '--no-progress'], {
      cwd: dir,
      env,
    })
    const killed = finished(child)
    await until(() => server.batches.retrieves >= 1)
    child.kill('SIGKILL')
    expect((await killed).code).toBeNull()
    expect(server.batches.submitted).toBe(1)

    const resumed = await runCli(
      [
        'eval',
        '--batch',
        '--resume',
        'latest',
        '--batch-poll',
        '20',
        '--no-progress',
        '-o',
        'batch.json',
      ],
      { cwd: dir, env },
    )
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(resumed.stderr).toMatch(
      /resuming \S+ \(\w+\): 0 finished samples kept, 1 batch of 100 requests/,
    )
    expect(server.batches.submitted).toBe(1)
    const batched = passes(join(dir, 'batch.json'))
    expect(batched).toHaveLength(100)
    expect(batched).toEqual(passes(join(dir, 'live.json')))
  })

  it('Ctrl-C while polling exits 130 and names the way to collect the batch', async () => {
    const server = await startFakeOpenAI({ batch: { pollsBeforeDone: Infinity } })
    fake = server
    const dir = project(server.url)
    const child = startCli(['eval', '--batch', '--batch-poll', '50', '--no-progress'], {
      cwd: dir,
      env,
    })
    const done = finished(child)
    await until(() => server.batches.retrieves >= 2)
    child.kill('SIGINT')
    const { code, stderr } = await done
    expect(code, stderr).toBe(130)
    expect(stderr).toMatch(
      /batch \S+ is left to run at the API; collect it with `shipgate eval --batch --resume \S+`/,
    )
    expect(server.batches.submitted).toBe(1)
  })
})
