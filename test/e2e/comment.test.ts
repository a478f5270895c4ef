import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeGitHub, type FakeGitHub } from '../fakes/github.js'
import { runCli } from '../helpers/cli.js'
import { tempProject } from '../helpers/project.js'
import { fixtureResults, fixtureVerdict } from '../reporters/fixtures.js'

const TOKEN = 'ghs_e2eFakeToken0123456789abcdefghijklmnop'
const MARKER = '<!-- shipgate:pr-comment -->'
const servers: FakeGitHub[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

async function github(comments?: Record<number, string[]>): Promise<FakeGitHub> {
  const server = await startFakeGitHub({
    token: TOKEN,
    repo: 'acme/app',
    ...(comments ? { comments } : {}),
  })
  servers.push(server)
  return server
}

/** A project with the verdict and results files, and the environment of a GitHub Actions job. */
function project(server: FakeGitHub, extra: Record<string, string> = {}) {
  const verdict = fixtureVerdict()
  const dir = tempProject({
    'verdict.json': JSON.stringify(verdict),
    'results.json': JSON.stringify(fixtureResults()),
    'passing.json': JSON.stringify({ ...verdict, pass: true, checks: [] }),
  })
  const env = {
    GITHUB_TOKEN: TOKEN,
    GITHUB_API_URL: server.url,
    GITHUB_REPOSITORY: 'acme/app',
    GITHUB_EVENT_PATH: '',
    ...extra,
  }
  return { dir, env }
}

const ARGS = ['comment', '--verdict', 'verdict.json', '--results', 'results.json']

describe('shipgate comment (built CLI, fake GitHub API)', () => {
  it('creates the comment, then edits it on the next run', async () => {
    const server = await github({ 7: ['LGTM'] })
    const { dir, env } = project(server)
    const first = await runCli([...ARGS, '--pr', '7'], { cwd: dir, env })
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(
      /^created PR comment https:\/\/github\.com\/acme\/app\/pull\/7#issuecomment-\d+\n$/,
    )
    const [, created] = server.comments.get(7) ?? []
    expect(created?.body.startsWith(`${MARKER}\n## ❌ shipgate: gate failed`)).toBe(true)

    const second = await runCli(
      ['comment', '--verdict', 'passing.json', '--results', 'results.json', '--pr', '7'],
      { cwd: dir, env },
    )
    expect(second.code).toBe(0)
    expect(second.stdout).toContain(
      `updated PR comment https://github.com/acme/app/pull/7#issuecomment-${created?.id}`,
    )
    const comments = server.comments.get(7) ?? []
    expect(comments.map((c) => c.body.split('\n')[0])).toEqual(['LGTM', MARKER])
    expect(comments[1]?.body).toContain('## ✅ shipgate: gate passed')
    const calls = server.requests.map((r) => `${r.method} ${r.path}`)
    expect(calls).toEqual([
      'GET /repos/acme/app/issues/7/comments?per_page=100',
      'POST /repos/acme/app/issues/7/comments',
      'GET /repos/acme/app/issues/7/comments?per_page=100',
      `PATCH /repos/acme/app/issues/comments/${created?.id}`,
    ])
    expect(server.requests[3]?.headers).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'user-agent': expect.stringMatching(/^shipgate\/\d/) as unknown,
    })
  })

  it('finds its comment on a later page of the list', async () => {
    const others = Array.from({ length: 130 }, (_, i) => `comment ${i}`)
    others[117] = `${MARKER}\nold report`
    const server = await github({ 12: others })
    const { dir, env } = project(server)
    const run = await runCli([...ARGS, '--pr', '12'], { cwd: dir, env })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('updated PR comment')
    const comments = server.comments.get(12) ?? []
    expect(comments).toHaveLength(130)
    expect(comments[117]?.body).toContain('## ❌ shipgate: gate failed')
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/acme/app/issues/12/comments?per_page=100',
      'GET /repos/acme/app/issues/12/comments?per_page=100&page=2',
      `PATCH /repos/acme/app/issues/comments/${comments[117]?.id}`,
    ])
  })

  it('reads the PR number from the event payload', async () => {
    const server = await github()
    const { dir, env } = project(server)
    const event = join(dir, 'event.json')
    const payload = JSON.stringify({ action: 'synchronize', pull_request: { number: 42 } })
    writeFileSync(event, payload)
    const run = await runCli([...ARGS, '--marker', 'api'], {
      cwd: dir,
      env: { ...env, GITHUB_EVENT_PATH: event },
    })
    expect(run.code).toBe(0)
    expect(server.comments.get(42)?.[0]?.body.split('\n')[0]).toBe(
      '<!-- shipgate:pr-comment:api -->',
    )
  })

  it("exits 3 on a 401, with GitHub's message and never the token", async () => {
    const server = await github()
    const { dir, env } = project(server, { GITHUB_TOKEN: `${TOKEN}-revoked` })
    const run = await runCli([...ARGS, '--pr', '7'], { cwd: dir, env })
    expect(run.code).toBe(3)
    expect(run.stderr).toContain(
      'GitHub API GET /repos/acme/app/issues/7/comments: 401 Bad credentials',
    )
    expect(run.stderr).toContain('hint: GITHUB_TOKEN is missing, invalid or expired')
    expect(`${run.stdout}${run.stderr}`).not.toContain(TOKEN)
    expect(server.comments.size).toBe(0)
  })

  it('exits 2 with a hint when the token or the PR number is missing; --dry-run needs neither', async () => {
    const server = await github()
    const { dir, env } = project(server)
    const noToken = await runCli([...ARGS, '--pr', '7'], {
      cwd: dir,
      env: { ...env, GITHUB_TOKEN: '' },
    })
    expect(noToken.code).toBe(2)
    expect(noToken.stderr).toContain('no GitHub token: GITHUB_TOKEN is not set')
    const noPr = await runCli(ARGS, { cwd: dir, env })
    expect(noPr.code).toBe(2)
    expect(noPr.stderr).toContain('hint: pass --pr N')
    const dry = await runCli([...ARGS, '--dry-run'], {
      cwd: dir,
      env: { ...env, GITHUB_TOKEN: '' },
    })
    expect(dry.code).toBe(0)
    expect(dry.stdout.startsWith(`${MARKER}\n## ❌ shipgate: gate failed`)).toBe(true)
    expect(server.requests).toHaveLength(0)
  })
})
