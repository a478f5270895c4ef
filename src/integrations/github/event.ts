/**
 * The GitHub Actions event payload (the JSON file at `GITHUB_EVENT_PATH`): which pull request a
 * workflow runs for, and its labels.
 */
import { readFile } from 'node:fs/promises'
import type { Logger } from '../../contracts/logger.js'
import { usageError } from '../../errors.js'
import { errorMessage } from '../../utils/errors.js'

interface EventPayload {
  readonly pull_request?: { number?: unknown; labels?: { name?: unknown }[] }
  readonly issue?: { number?: unknown }
}

/** The labels of the pull request in the event payload at `path`; none when unreadable. */
export async function pullRequestLabels(path: string, logger: Logger): Promise<string[]> {
  try {
    const event = JSON.parse(await readFile(path, 'utf8')) as EventPayload
    return (event.pull_request?.labels ?? [])
      .map((l) => l.name)
      .filter((n): n is string => typeof n === 'string')
  } catch (error) {
    logger.warn(`cannot read the GitHub event payload ${path}: ${errorMessage(error)}`)
    return []
  }
}

/** The PR number of the event that started the workflow: `pull_request` or an issue comment. */
export async function pullRequestNumber(
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  const hint = 'pass --pr N (on pull_request events GitHub Actions sets GITHUB_EVENT_PATH)'
  const path = env.GITHUB_EVENT_PATH
  if (path === undefined || path === '') throw usageError('no pull request number', hint)
  let event: EventPayload
  try {
    event = JSON.parse(await readFile(path, 'utf8')) as EventPayload
  } catch (error) {
    throw usageError(
      `cannot read the event payload GITHUB_EVENT_PATH=${path}: ${errorMessage(error)}`,
      hint,
    )
  }
  const number = event.pull_request?.number ?? event.issue?.number
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1)
    throw usageError('the workflow event is not about a pull request', hint)
  return number
}
