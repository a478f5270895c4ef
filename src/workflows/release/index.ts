/**
 * `shipgate release`: record what runs in production as one versioned unit, and look releases
 * up. Gathers the inputs (config, git, prompt texts, the flag file), lets core/release build the
 * manifest, saves it to the store and writes `.shipgate/release.json` for the service and the
 * deploy pipeline to read.
 */
import type { CreatedRelease } from '../../contracts/release.js'
import { readFile } from 'node:fs/promises'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import type { LoadedConfig } from '../../config/load.js'
import type { Clock } from '../../contracts/clock.js'
import type { Logger } from '../../contracts/logger.js'
import type { ReleaseDiff, ReleaseManifest } from '../../contracts/release.js'
import type { Store } from '../../contracts/store.js'
import {
  buildManifest,
  diffReleases,
  parseReleaseEnv,
  type PromptSource,
} from '../../core/release/index.js'
import { ShipgateError, usageError } from '../../errors.js'
import { systemClock } from '../../utils/clock.js'
import { writeFileAtomic } from '../../utils/files.js'
import { readGitInfo } from '../../integrations/git/info.js'
import { displayPath } from '../../utils/paths.js'
import { findSecret } from '../../utils/secrets.js'
import { canonicalJson } from '../../utils/hash.js'
import {
  loadProjectConfig,
  storeLocation,
  withProjectStore,
  type StoreChoice,
} from '../project/index.js'

/** The file a release is written to, in the store's directory. */
export const RELEASE_FILE = 'release.json'

/** Options of {@link createRelease}. */
export interface CreateReleaseOptions extends StoreChoice {
  /** A human name (`--name v1.4.0`). */
  readonly name?: string
  /**
   * Runtime settings recorded in the release (`--env KEY=VALUE`, as pairs or a record); refused
   * if secret-like. (`env` is the process environment: `${VAR}`, the store URL, the CI branch.)
   */
  readonly settings?: Readonly<Record<string, string>> | readonly string[]
  readonly logger: Logger
  readonly clock?: Clock
}

/**
 * Records a release of the project at `cwd`: builds the manifest, saves it (a manifest with the
 * same id is kept as stored) and writes `release.json` atomically. Throws a usage error for
 * secret-like `env` values and a config error for an unreadable flag file.
 */
export async function createRelease(options: CreateReleaseOptions): Promise<CreatedRelease> {
  const processEnv = options.env
  // The release records the config as written for production, not its CI overrides.
  const { CI: _ci, ...withoutCi } = processEnv
  const loaded = await loadProjectConfig({ ...options, env: withoutCi })
  const env = checkEnv(settingsOf(options.settings), loaded.secrets)
  const git = await readGitInfo(loaded.dir, processEnv)
  const built = buildManifest({
    name: options.name ?? null,
    createdAt: new Date((options.clock ?? systemClock).now()).toISOString(),
    code: git ?? { commit: null, branch: null, dirty: false },
    prompts: promptSources(loaded),
    providers: loaded.config.providers,
    flags: await readFlags(loaded),
    // A config given as a value is recorded as its canonical JSON (its hash is the run's).
    configText:
      loaded.file === null ? canonicalJson(options.config) : await readFile(loaded.file, 'utf8'),
    env,
  })
  checkParams(built, loaded.secrets)
  const { status, manifest } = await withProjectStore(options, async (store) => {
    const saved = await store.releases.save(built)
    return { status: saved, manifest: (await store.releases.get(built.id)) ?? built }
  })
  const file = releaseFile(loaded, processEnv)
  await writeFileAtomic(file, `${JSON.stringify(manifest, null, 2)}\n`)
  if (manifest.code.dirty) {
    options.logger.warn(
      `the working tree has uncommitted changes: ${manifest.id} is not exactly commit ${manifest.code.commit?.slice(0, 12) ?? '?'}`,
    )
  }
  if (git === null) options.logger.warn('not a git repository (or no commit yet): code unknown')
  return { manifest, status, file }
}

/** `shipgate release list`: recorded releases, newest first. */
export function listReleases(
  options: StoreChoice & { readonly limit?: number },
): Promise<ReleaseManifest[]> {
  return withProjectStore(options, (store) => store.releases.list({ limit: options.limit }))
}

/** `shipgate release show REF`: an id, a unique id prefix, a name, or `latest`. */
export function showRelease(
  options: StoreChoice & { readonly ref: string },
): Promise<ReleaseManifest> {
  return withProjectStore(options, (store) => findRelease(store, options.ref))
}

/** `shipgate release diff A B`: what changed from release `a` to release `b`. */
export function diffRelease(
  options: StoreChoice & { readonly a: string; readonly b: string },
): Promise<ReleaseDiff> {
  return withProjectStore(options, async (store) =>
    diffReleases(await findRelease(store, options.a), await findRelease(store, options.b)),
  )
}

async function findRelease(store: Store, ref: string): Promise<ReleaseManifest> {
  const id = await store.releases.resolveId(ref)
  const manifest = id === undefined ? undefined : await store.releases.get(id)
  if (manifest === undefined) {
    throw usageError(
      `no release matches "${ref}"`,
      'list releases with `shipgate release list`; a prefix must match exactly one',
    )
  }
  return manifest
}

function settingsOf(settings: CreateReleaseOptions['settings']): Readonly<Record<string, string>> {
  if (settings === undefined) return {}
  return isPairs(settings) ? envFromPairs(settings) : settings
}

function isPairs(
  settings: Readonly<Record<string, string>> | readonly string[],
): settings is readonly string[] {
  return Array.isArray(settings)
}

/** Turns `--env KEY=VALUE` flags into a record; a malformed pair is a usage error. */
export function envFromPairs(pairs: readonly string[]): Record<string, string> {
  const bad = pairs.find((p) => !/^[^=]+=/.test(p))
  if (bad !== undefined)
    throw usageError(`--env "${bad}" is not KEY=VALUE`, 'e.g. --env PROMPT_VERSION=v2')
  return Object.fromEntries(
    pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]),
  )
}

function checkEnv(
  env: Readonly<Record<string, string>>,
  secrets: readonly string[],
): Readonly<Record<string, string>> {
  const parsed = parseReleaseEnv(
    Object.entries(env).map(([k, v]) => `${k}=${v}`),
    secrets,
  )
  if (parsed.ok) return parsed.env
  throw usageError(
    `refusing to record the release env: ${parsed.problems.join('; ')}`,
    'a release is stored and written to disk: set secrets on the platform, by variable name',
  )
}

/** Model parameters come from the config; one interpolated from a secret must not be recorded. */
function checkParams(manifest: ReleaseManifest, secrets: readonly string[]): void {
  for (const [provider, model] of Object.entries(manifest.models)) {
    const text = JSON.stringify(model.params)
    const leaked =
      findSecret(text) !== undefined || secrets.some((s) => s.length >= 8 && text.includes(s))
    if (leaked) {
      throw new ShipgateError('config', `provider "${provider}": its params hold a secret`, {
        hint: 'params are recorded in every release; keep credentials in apiKeyEnv or headers',
      })
    }
  }
}

function promptSources(loaded: LoadedConfig): Record<string, PromptSource[]> {
  return Object.fromEntries(
    [...loaded.prompts].map(([name, prompt]) => [
      name,
      prompt.messages.map((m) => ({
        role: m.role,
        source: m.source,
        ...(m.file === undefined ? {} : { file: m.file }),
      })),
    ]),
  )
}

async function readFlags(loaded: LoadedConfig): Promise<{ path: string; text: string } | null> {
  const configured = loaded.config.release.flags
  if (configured === undefined) return null
  const path = resolve(loaded.dir, configured)
  try {
    return { path: displayPath(path, loaded.dir), text: await readFile(path, 'utf8') }
  } catch (cause) {
    throw new ShipgateError('config', `cannot read the flag file ${configured} (release.flags)`, {
      hint: 'check the path; it is relative to shipgate.yaml',
      cause,
    })
  }
}

/** `release.json` in the store's directory; `.shipgate/` when the store is not a file. */
function releaseFile(
  loaded: LoadedConfig,
  env: Readonly<Record<string, string | undefined>>,
): string {
  const location = storeLocation(env, loaded.config.store)
  const isFile = !/^(memory:|:memory:|postgres(ql)?:\/\/)/.test(location)
  if (!isFile) return join(loaded.dir, '.shipgate', RELEASE_FILE)
  const path = isAbsolute(location) ? location : resolve(loaded.dir, location)
  return join(dirname(path), RELEASE_FILE)
}
