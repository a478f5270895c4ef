import {
  createRelease,
  diffRelease,
  envFromPairs,
  listReleases,
  showRelease,
} from '../../workflows/release/index.js'
import { openProjectStore } from '../../workflows/project/store.js'
import type { ReleaseChange, ReleaseDiff, ReleaseManifest } from '../../contracts/release.js'
import type { Store } from '../../contracts/store.js'
import { DIFF_PARTS } from '../../core/release/index.js'
import { table } from '../../reporters/format.js'
import { displayPath } from '../../utils/paths.js'
import { EXIT, type CommandIO } from '../io.js'
import type {
  ReleaseCreateFlags,
  ReleaseDiffFlags,
  ReleaseListFlags,
  ReleaseShowFlags,
} from '../program.js'

/** `shipgate release create`: record the project as a release, saved and written to disk. */
export async function runReleaseCreate(flags: ReleaseCreateFlags, io: CommandIO): Promise<number> {
  const env = envFromPairs(flags.env ?? [])
  return withStore(io, flags.config, async (store) => {
    const created = await createRelease({
      cwd: io.cwd,
      processEnv: io.env,
      store,
      logger: io.logger,
      env,
      ...(flags.config === undefined ? {} : { configPath: flags.config }),
      ...(flags.name === undefined ? {} : { name: flags.name }),
    })
    const { manifest, status } = created
    io.stdout(
      flags.json === true
        ? json({ status, file: created.file, manifest })
        : `release ${label(manifest)} ${status === 'created' ? 'created' : 'exists (same content)'}\n${details(manifest)}  written  ${displayPath(created.file, io.cwd)}\n`,
    )
    return EXIT.ok
  })
}

/** `shipgate release list`: recorded releases, newest first. */
export function runReleaseList(flags: ReleaseListFlags, io: CommandIO): Promise<number> {
  return withStore(io, flags.config, async (store) => {
    const releases = await listReleases(store, { limit: flags.limit })
    io.stdout(flags.json === true ? json(releases) : listText(releases))
    return EXIT.ok
  })
}

/** `shipgate release show REF`: one release, every part. */
export function runReleaseShow(
  ref: string,
  flags: ReleaseShowFlags,
  io: CommandIO,
): Promise<number> {
  return withStore(io, flags.config, async (store) => {
    const manifest = await showRelease(store, ref)
    io.stdout(
      flags.json === true ? json(manifest) : `release ${label(manifest)}\n${details(manifest)}`,
    )
    return EXIT.ok
  })
}

/** `shipgate release diff A B`: what changed from A to B, by part. */
export function runReleaseDiff(
  a: string,
  b: string,
  flags: ReleaseDiffFlags,
  io: CommandIO,
): Promise<number> {
  return withStore(io, flags.config, async (store) => {
    const diff = await diffRelease(store, a, b)
    io.stdout(flags.json === true ? json(diff) : diffText(diff))
    return EXIT.ok
  })
}

async function withStore(
  io: CommandIO,
  config: string | undefined,
  body: (store: Store) => Promise<number>,
): Promise<number> {
  const store = await openProjectStore({
    cwd: io.cwd,
    env: io.env,
    ...(config === undefined ? {} : { configFile: config }),
  })
  try {
    return await body(store)
  } finally {
    await store.close()
  }
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`
}

function label(m: ReleaseManifest): string {
  return m.name === null ? m.id : `${m.id} (${m.name})`
}

/** `sha256:` hashes and commits cut to 12 hex digits: enough to tell them apart on screen. */
function short(value: string | null): string {
  if (value === null) return '-'
  const hash = /^sha256:([0-9a-f]{12})[0-9a-f]+$/.exec(value)
  if (hash !== null) return `sha256:${hash[1]}`
  return /^[0-9a-f]{40}$/.test(value) ? value.slice(0, 12) : value
}

function details(m: ReleaseManifest): string {
  const code =
    m.code.commit === null
      ? 'not a git commit'
      : `${short(m.code.commit)}${m.code.branch === null ? '' : ` on ${m.code.branch}`}${m.code.dirty ? ' (dirty: uncommitted changes)' : ''}`
  const rows = [
    ['  created', m.createdAt.replace('T', ' ').slice(0, 19)],
    ['  code', code],
    ...Object.entries(m.prompts).map(([n, p]) => [
      '  prompt',
      `${n} ${short(p.hash)}${p.path === null ? '' : ` ${p.path}`}`,
    ]),
    ...Object.entries(m.models).map(([n, x]) => [
      '  model',
      [
        n,
        x.type,
        x.model ?? '',
        ...Object.entries(x.params).map(
          ([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`,
        ),
      ]
        .filter((s) => s !== '')
        .join(' '),
    ]),
    ['  flags', m.flags === null ? '-' : `${m.flags.path} ${short(m.flags.hash)}`],
    ['  config', short(m.configHash)],
    ...Object.entries(m.env).map(([k, v]) => ['  env', `${k}=${v}`]),
  ]
  return `${table(rows)}\n`
}

function listText(releases: readonly ReleaseManifest[]): string {
  if (releases.length === 0) return 'no releases recorded yet: run `shipgate release create`\n'
  const rows = releases.map((m) => [
    m.id,
    m.name ?? '-',
    m.createdAt.replace('T', ' ').slice(0, 19),
    short(m.code.commit) + (m.code.dirty ? '+dirty' : ''),
    m.code.branch ?? '-',
    String(Object.keys(m.prompts).length),
    Object.values(m.models)
      .map((x) => x.model ?? x.type)
      .join(','),
  ])
  return `${table([['id', 'name', 'created (UTC)', 'commit', 'branch', 'prompts', 'models'], ...rows])}\n`
}

const MARK: Record<ReleaseChange['kind'], string> = { added: '+', removed: '-', changed: '~' }

function diffText(diff: ReleaseDiff): string {
  const count = DIFF_PARTS.reduce((n, part) => n + diff[part].length, 0)
  const head = `${diff.from} → ${diff.to}: ${count === 0 ? 'no differences' : `${count} change${count === 1 ? '' : 's'}`}\n`
  const sections = DIFF_PARTS.filter((part) => diff[part].length > 0).map((part) => {
    const rows = diff[part].map((c) => [
      `  ${MARK[c.kind]} ${c.name}`,
      c.kind === 'added'
        ? short(c.after)
        : c.kind === 'removed'
          ? short(c.before)
          : `${short(c.before)} → ${short(c.after)}`,
    ])
    return `${part}\n${table(rows)}\n`
  })
  return head + sections.join('')
}
