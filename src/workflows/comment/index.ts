import { errorMessage } from '../../utils/errors.js'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { GateVerdict } from '../../contracts/gate.js'
import type { ResultsDocument } from '../../contracts/results.js'
import { usageError } from '../../errors.js'
import { isMarkerKey, prCommentMarker, renderPrComment } from '../../reporters/pr-comment.js'
import { shipgateVersion } from '../../utils/package.js'
import { createRedactor, type Redactor } from '../../utils/redact.js'
import { githubApi, pullRequestNumber, type Fetch } from '../../integrations/github/index.js'

/** The environment variable the token is read from (by name only; its value is never shown). */
export const TOKEN_VARIABLE = 'GITHUB_TOKEN'

/** What `shipgate comment` is asked to do. */
export interface CommentOptions {
  readonly cwd: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly verdictFile: string
  readonly resultsFile: string
  /** Marker key, for several configs commenting on one PR. */
  readonly marker?: string
  /** `OWNER/REPO`; default `GITHUB_REPOSITORY`. */
  readonly repo?: string
  /** PR number; default from the event payload at `GITHUB_EVENT_PATH`. */
  readonly pr?: number
  /** Render the body and call nothing. */
  readonly dryRun?: boolean
  /** The HTML report's address (e.g. the artifact's URL), linked under the verdict. */
  readonly reportUrl?: string
  /** Default: the global fetch. */
  readonly fetch?: Fetch
  /**
   * Redacts the verdict and results before the comment is made (the files may come from
   * anywhere); default: one that knows secret shapes. The token is redacted either way.
   */
  readonly redactor?: Redactor
}

/** What `shipgate comment` did. */
export type CommentOutcome =
  | { readonly action: 'dry-run'; readonly body: string }
  | {
      readonly action: 'created' | 'updated'
      readonly body: string
      readonly id: number
      readonly url: string
    }

/**
 * Renders the PR comment of a verdict and its results, then updates shipgate's comment on the
 * PR (the first whose body starts with the marker) or creates it. Missing token, repository or
 * PR number are usage errors; GitHub refusing is an environment error.
 */
export async function commentOnPullRequest(options: CommentOptions): Promise<CommentOutcome> {
  if (options.marker !== undefined && !isMarkerKey(options.marker)) {
    throw usageError(
      `invalid --marker "${options.marker}"`,
      'use letters, digits, ".", "_" or "-" (at most 64)',
    )
  }
  // Redacted before rendering: markdown escapes (`sk-proj-a\_b`) would hide a key from a
  // redactor run on the rendered comment, though not from its readers.
  const redactor = options.redactor ?? createRedactor()
  redactor.add([options.env[TOKEN_VARIABLE]])
  const read = <T>(file: string, key: string) =>
    readDocument<T>(options.cwd, file, key).then((doc) => redactor.json(doc))
  const verdict = await read<GateVerdict>(options.verdictFile, 'checks')
  const results = await read<ResultsDocument>(options.resultsFile, 'suites')
  const body = renderPrComment(verdict, results, {
    ...(options.marker === undefined ? {} : { key: options.marker }),
    fullReport: fullReportOf(options.env),
    reportUrl: options.reportUrl,
  })
  if (options.dryRun === true) return { action: 'dry-run', body }
  const token = options.env[TOKEN_VARIABLE]
  if (token === undefined || token === '') {
    throw usageError(
      `no GitHub token: ${TOKEN_VARIABLE} is not set`,
      'in a workflow: `env: { GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }} }`; or pass --dry-run',
    )
  }
  const { owner, repo } = repositoryOf(options)
  const pr = options.pr ?? (await pullRequestNumber(options.env))
  const api = githubApi({
    apiUrl: apiUrlOf(options.env),
    token,
    userAgent: `shipgate/${shipgateVersion()}`,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
  })
  const marker = prCommentMarker(options.marker)
  const existing = (await api.listComments(owner, repo, pr)).find((c) =>
    (c.body ?? '').startsWith(marker),
  )
  const saved =
    existing === undefined
      ? await api.createComment(owner, repo, pr, body)
      : await api.updateComment(owner, repo, existing.id, body)
  const action = existing === undefined ? 'created' : 'updated'
  return { action, body, id: saved.id, url: saved.html_url }
}

async function readDocument<T>(cwd: string, file: string, key: string): Promise<T> {
  const path = resolve(cwd, file)
  let value: unknown
  try {
    value = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    const why = errorMessage(error)
    throw usageError(
      `cannot read ${file}: ${why}`,
      'write it with `shipgate gate -o verdict.json` / `shipgate eval -o results.json`',
    )
  }
  const doc = value as { schemaVersion?: unknown } & Record<string, unknown>
  if (
    doc === null ||
    typeof doc !== 'object' ||
    doc.schemaVersion !== 1 ||
    !Array.isArray(doc[key])
  )
    throw usageError(`${file} is not a shipgate ${key === 'checks' ? 'verdict' : 'results'} file`)
  return value as T
}

function repositoryOf(options: CommentOptions): { owner: string; repo: string } {
  const full = options.repo ?? options.env.GITHUB_REPOSITORY
  const match = full === undefined ? null : /^([\w.-]+)\/([\w.-]+)$/.exec(full)
  if (match === null) {
    throw usageError(
      full === undefined ? 'no repository to comment on' : `invalid repository "${full}"`,
      'pass --repo OWNER/REPO (GitHub Actions sets GITHUB_REPOSITORY)',
    )
  }
  return { owner: match[1] as string, repo: match[2] as string }
}

function apiUrlOf(env: CommentOptions['env']): string {
  const url =
    env.GITHUB_API_URL === undefined || env.GITHUB_API_URL === ''
      ? 'https://api.github.com'
      : env.GITHUB_API_URL
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
    throw usageError(`invalid GITHUB_API_URL "${url}"`, 'e.g. https://api.github.com')
  return url
}

/** A link to the workflow run when GitHub Actions tells where it is. */
function fullReportOf(env: CommentOptions['env']): string {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env
  if (server && repo && run)
    return `the [job summary](${server}/${repo}/actions/runs/${run}) and the results artifact`
  return 'the job summary and the results artifact'
}
