/** What changed between two releases, part by part. */
import {
  DIFF_PARTS,
  type ReleaseChange,
  type ReleaseDiff,
  type ReleaseManifest,
} from '../../contracts/release.js'

/** Every change from `a` to `b`, each part's changes sorted by name; empty parts when equal. */
export function diffReleases(a: ReleaseManifest, b: ReleaseManifest): ReleaseDiff {
  return {
    from: a.id,
    to: b.id,
    code: diffMaps(codeOf(a), codeOf(b)),
    prompts: diffMaps(
      mapOf(a.prompts, (p) => p.hash),
      mapOf(b.prompts, (p) => p.hash),
    ),
    models: diffMaps(
      mapOf(a.models, (m) => m.model ?? m.type),
      mapOf(b.models, (m) => m.model ?? m.type),
    ),
    params: diffMaps(paramsOf(a), paramsOf(b)),
    flags: diffMaps(flagsOf(a), flagsOf(b)),
    config: diffMaps({ config: a.configHash }, { config: b.configHash }),
    env: diffMaps(a.env, b.env),
  }
}

/** Whether a diff has no change at all. */
export function isEmptyDiff(diff: ReleaseDiff): boolean {
  return DIFF_PARTS.every((part) => diff[part].length === 0)
}

export { DIFF_PARTS } from '../../contracts/release.js'

/** The changes from `before` to `after`, by key: added, removed or changed; sorted by name. */
export function diffMaps(
  before: Readonly<Record<string, string>>,
  after: Readonly<Record<string, string>>,
): ReleaseChange[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()
  const changes: ReleaseChange[] = []
  for (const name of names) {
    const from = Object.hasOwn(before, name) ? (before[name] as string) : null
    const to = Object.hasOwn(after, name) ? (after[name] as string) : null
    if (from === to) continue
    const kind = from === null ? 'added' : to === null ? 'removed' : 'changed'
    changes.push({ name, kind, before: from, after: to })
  }
  return changes
}

function codeOf(m: ReleaseManifest): Record<string, string> {
  return {
    ...(m.code.commit === null ? {} : { commit: m.code.commit }),
    ...(m.code.branch === null ? {} : { branch: m.code.branch }),
    dirty: String(m.code.dirty),
  }
}

/** Parameters flattened to `provider.param` → JSON of the value. */
function paramsOf(m: ReleaseManifest): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [provider, model] of Object.entries(m.models)) {
    for (const [param, value] of Object.entries(model.params)) {
      out[`${provider}.${param}`] = JSON.stringify(value) ?? 'null'
    }
  }
  return out
}

function flagsOf(m: ReleaseManifest): Record<string, string> {
  return m.flags === null ? {} : { [m.flags.path]: m.flags.hash }
}

function mapOf<T>(
  record: Readonly<Record<string, T>>,
  f: (value: T) => string,
): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]))
}
