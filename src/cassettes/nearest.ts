import { levenshtein } from '../utils/levenshtein.js'
import type { CassetteFiles } from './files.js'
import { leaves } from './files.js'
import type { CassetteMiss, RecordedRequest } from './types.js'

const SHOW = 3
const CLIP = 60

/**
 * The recording of the same method and path whose request differs from `request` in the fewest
 * places, and the first few of those places: what a user needs to see why a replay missed.
 */
export async function nearestRecording(
  files: CassetteFiles,
  request: RecordedRequest,
): Promise<CassetteMiss['nearest']> {
  const wanted = leaves({ headers: request.headers, body: request.body })
  let best: { file: string; paths: string[]; have: Map<string, string>; score: number } | undefined
  for (const { file, cassette } of await files.all()) {
    const other = cassette.request
    if (other.method !== request.method || other.path !== request.path) continue
    const have = leaves({ headers: other.headers, body: other.body })
    const paths = [...new Set([...wanted.keys(), ...have.keys()])].filter(
      (path) => wanted.get(path) !== have.get(path),
    )
    // Fewest differing places first; among those, the smallest edits (so "Question 77" finds
    // "Question 7", not "Question 38").
    const score =
      paths.length * 1e6 + paths.reduce((n, p) => n + edits(have.get(p), wanted.get(p)), 0)
    if (best === undefined || score < best.score) best = { file, paths, have, score }
  }
  if (best === undefined) return undefined
  const { have } = best
  const differences = best.paths
    .slice(0, SHOW)
    .map((path) => ({ path, recorded: clip(have.get(path)), requested: clip(wanted.get(path)) }))
  return { file: best.file, differences }
}

/** Edit distance of two leaf values, bounded so that long prompts stay cheap to compare. */
function edits(a: string | undefined, b: string | undefined): number {
  return levenshtein((a ?? '').slice(0, 200), (b ?? '').slice(0, 200))
}

function clip(value: string | undefined): string {
  if (value === undefined) return '(absent)'
  return value.length > CLIP ? `${value.slice(0, CLIP - 1)}…` : value
}

/** A miss as one paragraph for the user: what was asked, what is closest, how it differs. */
export function describeMiss(miss: CassetteMiss): string {
  const model = (miss.request.body as { model?: unknown } | null)?.model
  const what = `${miss.request.method} ${miss.request.path}${typeof model === 'string' ? ` (${model})` : ''}`
  const head = `no recording for ${what}, key ${miss.key.slice(0, 12)}, ordinal ${miss.ordinal}`
  if (miss.nearest === undefined) return `${head}; nothing recorded for this path`
  const diffs = miss.nearest.differences.map(
    (d) => `\n    ${d.path}: recorded ${d.recorded}, requested ${d.requested}`,
  )
  const same =
    miss.nearest.differences.length === 0 ? ' (same request: only the ordinal is new)' : ''
  return `${head}; nearest recording ${miss.nearest.file}${same}${diffs.join('')}`
}
