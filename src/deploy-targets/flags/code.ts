/**
 * Whether a release can go out through a flag: a flag moves the prompt and model settings the
 * running service reads, never its code, so the new release must be built from the commit of
 * the one it replaces. What the manifests can compare is the commit and whether the working tree
 * was dirty; when either side has no commit, or a dirty tree, the code is not known to be the
 * same and the target warns instead of refusing.
 */
import type { ReleaseManifest } from '../../contracts/release.js'

/** The verdict on a release's code against the one it replaces. */
export type CodeCheck =
  | { readonly kind: 'same' }
  | { readonly kind: 'changed'; readonly message: string; readonly hint: string }
  | { readonly kind: 'unknown'; readonly warning: string }

/** Compares the code of `release` with `previous`'s; a first release has nothing to compare. */
export function checkCode(release: ReleaseManifest, previous: ReleaseManifest | null): CodeCheck {
  if (previous === null) return { kind: 'same' }
  const before = previous.code.commit
  const after = release.code.commit
  if (before === null || after === null) {
    const which = after === null ? release.id : previous.id
    return {
      kind: 'unknown',
      warning: `${which} was recorded outside a git repository: whether ${release.id} changes the code is not known, and a flag cannot move code`,
    }
  }
  if (before !== after) {
    return {
      kind: 'changed',
      message: `${release.id} changes the code (commit ${short(before)} → ${short(after)}): a flags canary can move prompts and models only; deploy code with a code target (local, kubernetes or command), then canary the prompt and model releases of that commit here`,
      hint: 'if the new commit already runs in the service (another pipeline deployed it), set `onCodeChange: warn` on this target',
    }
  }
  if (previous.code.dirty || release.code.dirty) {
    const which = release.code.dirty ? release.id : previous.id
    return {
      kind: 'unknown',
      warning: `${which} was recorded with uncommitted changes: the code may differ from commit ${short(after)}, and a flag cannot move code`,
    }
  }
  return { kind: 'same' }
}

function short(commit: string): string {
  return commit.slice(0, 7)
}
