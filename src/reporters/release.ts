import {
  DIFF_PARTS,
  type CreatedRelease,
  type ReleaseChange,
  type ReleaseDiff,
  type ReleaseManifest,
} from '../contracts/release.js'
import { table } from './format.js'

/** `shipgate release create` for the terminal: what was recorded and where it was written. */
export function renderCreatedRelease(created: CreatedRelease, file: string): string {
  const { manifest, status } = created
  const what = status === 'created' ? 'created' : 'exists (same content)'
  return `release ${releaseLabel(manifest)} ${what}\n${renderReleaseDetails(manifest)}  written  ${file}\n`
}

/** `rel-3f2a… (v1.4.0)`: a release as people name it. */
export function releaseLabel(m: ReleaseManifest): string {
  return m.name === null ? m.id : `${m.id} (${m.name})`
}

/** `sha256:` hashes and commits cut to 12 hex digits: enough to tell them apart on screen. */
function short(value: string | null): string {
  if (value === null) return '-'
  const hash = /^sha256:([0-9a-f]{12})[0-9a-f]+$/.exec(value)
  if (hash !== null) return `sha256:${hash[1]}`
  return /^[0-9a-f]{40}$/.test(value) ? value.slice(0, 12) : value
}

/** A release's parts, one per line (code, prompts, models, flags, config, env). */
export function renderReleaseDetails(m: ReleaseManifest): string {
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

/** Recorded releases as a table, newest first. */
export function renderReleaseList(releases: readonly ReleaseManifest[]): string {
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

/** What changed between two releases, by part. */
export function renderReleaseDiff(diff: ReleaseDiff): string {
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
