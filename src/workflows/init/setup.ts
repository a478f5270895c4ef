/*
 * What `init --ci` reads from the project before it writes a pipeline: the repository's default
 * branch (from git) and the deploy targets of shipgate.yaml (canary.ts reads their rollouts).
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse } from 'yaml'
import { CONFIG_NAMES } from '../../config/load.js'
import { DEFAULT_BASELINE_BRANCH } from '../../core/gate/defaults.js'
import { gitText } from '../../integrations/git/run.js'

/** The branch a pipeline treats as the default when git cannot tell: the gate's baseline branch. */
export const FALLBACK_BRANCH = DEFAULT_BASELINE_BRANCH

/** The targets `init --ci --cd` writes jobs for when shipgate.yaml names none. */
export const EXAMPLE_TARGETS = ['staging', 'production'] as const

/**
 * The repository's default branch: what `origin/HEAD` points at, else the current branch, else
 * {@link FALLBACK_BRANCH} (not a repository, no commit yet, or no git).
 */
export async function defaultBranch(root: string): Promise<string> {
  const remote = await git(root, ['symbolic-ref', '--short', 'refs/remotes/origin/HEAD'])
  if (remote !== null && remote.startsWith('origin/')) return remote.slice('origin/'.length)
  return (await git(root, ['symbolic-ref', '--short', 'HEAD'])) ?? FALLBACK_BRANCH
}

async function git(root: string, args: string[]): Promise<string | null> {
  try {
    const out = await gitText(root, args, { timeoutMs: 5000 })
    return out === '' ? null : out
  } catch {
    // Not a repository, a detached HEAD, or no origin: the caller falls back.
    return null
  }
}

/**
 * The project's shipgate.yaml as plain data, before validation and `${VAR}` interpolation (init
 * runs where the service's variables are not set); `{}` when there is none. A config that does
 * not parse is reported by the commands that load it; here it is empty.
 */
export async function readConfigDocument(root: string): Promise<Record<string, unknown>> {
  const file = CONFIG_NAMES.map((n) => join(root, n)).find((f) => existsSync(f))
  if (file === undefined) return {}
  try {
    const doc: unknown = parse(await readFile(file, 'utf8'))
    return typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

/** The names under `targets:` of a config document, in file order; none without targets. */
export function configuredTargets(doc: Record<string, unknown>): string[] {
  const targets = doc.targets
  return typeof targets === 'object' && targets !== null && !Array.isArray(targets)
    ? Object.keys(targets)
    : []
}
