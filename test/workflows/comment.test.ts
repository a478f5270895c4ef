import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { commentOnPullRequest, type CommentOptions } from '../../src/workflows/comment/index.js'
import { nextPage } from '../../src/integrations/github/api.js'
import { ShipgateError } from '../../src/errors.js'
import { startFakeGitHub, type FakeGitHub } from '../fakes/github.js'
import { startFakeServer, writeJson } from '../fakes/server.js'
import { tempProject } from '../helpers/project.js'
import { fixtureResults, fixtureVerdict, hugeFixture } from '../reporters/fixtures.js'

const TOKEN = 'ghs_unitFakeToken0123456789abcdefghijklmn'
const servers: { close(): Promise<void> }[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

async function setup(
  env: Record<string, string> = {},
): Promise<{ server: FakeGitHub; options: CommentOptions }> {
  const server = await startFakeGitHub({ token: TOKEN, repo: 'acme/app', maxPerPage: 100 })
  servers.push(server)
  const cwd = tempProject({
    'verdict.json': JSON.stringify(fixtureVerdict()),
    'results.json': JSON.stringify(fixtureResults()),
  })
  const options: CommentOptions = {
    cwd,
    env: { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: server.url, GITHUB_REPOSITORY: 'acme/app', ...env },
    verdictFile: 'verdict.json',
    resultsFile: 'results.json',
  }
  return { server, options }
}

async function failure(promise: Promise<unknown>): Promise<ShipgateError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof ShipgateError))
    throw new Error(`expected a ShipgateError: ${String(error)}`)
  return error
}

describe('commentOnPullRequest', () => {
  it('takes the PR number of an issue_comment event and links the run in the notice', async () => {
    const { server, options } = await setup({
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '99',
    })
    const event = join(options.cwd, 'event.json')
    writeFileSync(event, JSON.stringify({ issue: { number: 5, pull_request: {} } }))
    const out = await commentOnPullRequest({
      ...options,
      env: { ...options.env, GITHUB_EVENT_PATH: event },
    })
    expect(out).toMatchObject({ action: 'created' })
    expect(server.comments.get(5)).toHaveLength(1)
    writeFileSync(join(options.cwd, 'many.json'), JSON.stringify(hugeFixture(60, 'few').verdict))
    const dry = await commentOnPullRequest({ ...options, verdictFile: 'many.json', dryRun: true })
    expect(dry.body).toContain(
      '- … and 10 more: see the [job summary](https://github.com/acme/app/actions/runs/99) and the results artifact',
    )
    expect(server.requests).toHaveLength(2)
  })

  it('redacts secrets from the comment, whatever the files hold (the token, key shapes)', async () => {
    const { options } = await setup()
    const key = ['sk', 'proj', `${'a1_b2-c3'.repeat(6)}`].join('-')
    const verdict = fixtureVerdict()
    const hostile = {
      ...verdict,
      newlyFailing: [{ suite: 's', caseId: 'c', reason: `leaked ${key} and ${TOKEN}` }],
    }
    writeFileSync(join(options.cwd, 'leaky.json'), JSON.stringify(hostile))
    const dry = await commentOnPullRequest({ ...options, verdictFile: 'leaky.json', dryRun: true })
    // What a reader sees: markdown's backslash escapes do not hide a key.
    const seen = dry.body.replace(/\\/g, '')
    expect(seen).toContain('leaked')
    expect(seen).not.toContain(key)
    expect(seen).not.toContain(TOKEN)
  })

  it('names a 403 with its hint and never the token', async () => {
    const server = await startFakeServer(({ res }) => {
      writeJson(res, 403, { message: `Resource not accessible by integration ${TOKEN}` })
      return Promise.resolve()
    })
    servers.push(server)
    const { options } = await setup()
    const error = await failure(
      commentOnPullRequest({
        ...options,
        pr: 3,
        env: { ...options.env, GITHUB_API_URL: server.url },
      }),
    )
    expect(error.exitCode).toBe(3)
    expect(error.message).toBe(
      'GitHub API GET /repos/acme/app/issues/3/comments: 403 Resource not accessible by integration [REDACTED]',
    )
    expect(error.hint).toContain('permissions: pull-requests: write')
  })

  it('is an environment error when GitHub cannot be reached', async () => {
    const server = await startFakeServer(() => Promise.resolve())
    const url = server.url
    await server.close()
    const { options } = await setup()
    const error = await failure(
      commentOnPullRequest({ ...options, pr: 3, env: { ...options.env, GITHUB_API_URL: url } }),
    )
    expect(error.exitCode).toBe(3)
    expect(error.message).toMatch(
      /^cannot reach the GitHub API at http:\/\/127\.0\.0\.1:\d+: fetch failed/,
    )
  })

  it('rejects bad input as usage errors before calling anything', async () => {
    const { server, options } = await setup()
    const bad: [Partial<CommentOptions>, string][] = [
      [{ marker: 'a -->' }, 'invalid --marker "a -->"'],
      [{ repo: 'not a repo', pr: 1 }, 'invalid repository "not a repo"'],
      [{ verdictFile: 'results.json' }, 'results.json is not a shipgate verdict file'],
      [{ resultsFile: 'missing.json' }, 'cannot read missing.json: ENOENT'],
      [{ env: { ...options.env, GITHUB_API_URL: 'ftp://x' }, pr: 1 }, 'invalid GITHUB_API_URL'],
    ]
    for (const [change, message] of bad) {
      const error = await failure(commentOnPullRequest({ ...options, ...change }))
      expect(error.exitCode).toBe(2)
      expect(error.message).toContain(message)
    }
    expect(server.requests).toHaveLength(0)
  })
})

describe('nextPage', () => {
  const origin = 'https://api.github.com'
  it('follows rel="next" on the same origin only', () => {
    const link = `<${origin}/r?page=3>; rel="next", <${origin}/r?page=9>; rel="last"`
    expect(nextPage(link, origin)).toBe(`${origin}/r?page=3`)
    expect(nextPage(`<${origin}/r?page=1>; rel="prev"`, origin)).toBeNull()
    expect(nextPage('<https://evil.example/r?page=2>; rel="next"', origin)).toBeNull()
    expect(nextPage(null, origin)).toBeNull()
  })
})
