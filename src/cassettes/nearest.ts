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
  let best:
    | { file: string; differences: { path: string; recorded: string; requested: string }[] }
    | undefined
  for (const { file, cassette } of await files.all()) {
    const other = cassette.request
    if (other.method !== request.method || other.path !== request.path) continue
    const have = leaves({ headers: other.headers, body: other.body })
    const differences = [...new Set([...wanted.keys(), ...have.keys()])]
      .filter((path) => wanted.get(path) !== have.get(path))
      .map((path) => ({ path, recorded: clip(have.get(path)), requested: clip(wanted.get(path)) }))
    if (best === undefined || differences.length < best.differences.length)
      best = { file, differences }
  }
  return best === undefined
    ? undefined
    : { file: best.file, differences: best.differences.slice(0, SHOW) }
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
