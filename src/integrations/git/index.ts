/** Git, run as a child process: the commit a run is of, and what a change touched. */
export { readGitInfo } from './info.js'
export {
  changedSince,
  fileAt,
  mergeBase,
  repoRoot,
  stagedContent,
  stagedFiles,
  trackedFiles,
} from './repo.js'
