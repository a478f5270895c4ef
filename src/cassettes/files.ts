import { existsSync, readFileSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { canonicalJson } from '../utils/hash.js'
import { writeFileAtomic } from '../utils/files.js'
import { modelOf } from './key.js'
import type { CassetteFile, Interaction, RecordedRequest } from './types.js'

/** How long recordings wait in memory before their file is rewritten. */
const FLUSH_AFTER_MS = 500

/**
 * One pack file: the cassettes of one API path and model, by key. A cassette read from disk is
 * kept as its line of text and parsed when asked for: thousands of parsed cassettes held for a
 * whole run cost more in garbage collection than parsing each once more when it is used.
 */
interface Bucket {
  readonly path: string
  readonly cassettes: Map<string, string | CassetteFile>
  /** Keys recorded in this process since the last write. */
  readonly dirty: Set<string>
}

/**
 * Cassettes on disk: a JSON Lines pack per API path and model, `<dir>/<api path>/<model>.jsonl`,
 * one line per distinct request — its request and its answers by ordinal — sorted by key, so
 * adding or re-recording a request changes exactly one line
 * (docs/decisions/0004-cassette-layout.md). A pack is read once per process. Recordings are
 * written back, merged with what is on disk, shortly after they are made and by `flush`.
 */
export class CassetteFiles {
  private readonly buckets = new Map<string, Bucket>()
  private timer: NodeJS.Timeout | undefined
  private writing: Promise<void> = Promise.resolve()

  constructor(readonly dir: string) {}

  /** The pack file holding a request's cassette. */
  pathOf(request: RecordedRequest): string {
    return join(
      this.dir,
      slug(request.path.split('?')[0] ?? ''),
      `${slug(modelOf(request) ?? 'any')}.jsonl`,
    )
  }

  /** The recorded answer for the `ordinal`-th identical request (cycling through them if asked). */
  interaction(
    request: RecordedRequest,
    key: string,
    ordinal: number,
    cycle = false,
  ): Interaction | undefined {
    const interactions =
      parsed(this.bucket(this.pathOf(request)).cassettes.get(key))?.interactions ?? []
    if (cycle && interactions.length > 0) return interactions[ordinal % interactions.length]
    return interactions[ordinal]
  }

  /** Records the answer to the `ordinal`-th identical request; written soon, or by `flush`. */
  put(request: RecordedRequest, key: string, ordinal: number, interaction: Interaction): void {
    const bucket = this.bucket(this.pathOf(request))
    const interactions = [...(parsed(bucket.cassettes.get(key))?.interactions ?? [])]
    interactions[ordinal] = interaction
    // An ordinal recorded before a lower one (concurrent identical requests) leaves no hole.
    for (let i = 0; i < interactions.length; i++) interactions[i] ??= interaction
    bucket.cassettes.set(key, { version: 1, key, request, interactions })
    bucket.dirty.add(key)
    // Unreferenced: the process's owner calls flush before it ends; the timer must not keep it up.
    this.timer ??= setTimeout(
      () => void this.flush().catch(() => undefined),
      FLUSH_AFTER_MS,
    ).unref()
  }

  /** Writes every recording not yet on disk; resolves when they are. */
  flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    const dirty = [...this.buckets.values()].filter((b) => b.dirty.size > 0)
    this.writing = this.writing.then(() =>
      Promise.all(dirty.map((b) => write(b))).then(() => undefined),
    )
    return this.writing
  }

  /** Every cassette under the directory, for finding the nearest recording of a miss. */
  async all(): Promise<{ file: string; cassette: CassetteFile }[]> {
    const files = await walk(this.dir)
    return files.flatMap((path) =>
      [...this.bucket(path).cassettes.values()].map((entry) => {
        const cassette = parsed(entry) as CassetteFile
        return {
          file: `${relative(process.cwd(), path) || path}#${cassette.key.slice(0, 12)}`,
          cassette,
        }
      }),
    )
  }

  private bucket(path: string): Bucket {
    let bucket = this.buckets.get(path)
    if (bucket === undefined) {
      bucket = { path, cassettes: read(path), dirty: new Set() }
      this.buckets.set(path, bucket)
    }
    return bucket
  }
}

/** A pack's cassettes by key, as their lines; empty when the file does not exist. */
function read(path: string): Map<string, string | CassetteFile> {
  const cassettes = new Map<string, string | CassetteFile>()
  if (!existsSync(path)) return cassettes
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue
    // Lines start with the key (see `line`), so the index needs no parsing.
    const key = /^\{"key":"([^"]+)"/.exec(line)?.[1] ?? (JSON.parse(line) as CassetteFile).key
    cassettes.set(key, line)
  }
  return cassettes
}

function parsed(entry: string | CassetteFile | undefined): CassetteFile | undefined {
  return typeof entry === 'string' ? (JSON.parse(entry) as CassetteFile) : entry
}

/** A cassette's line: its key first, then everything with keys sorted, so lines diff well. */
function line(entry: string | CassetteFile): string {
  if (typeof entry === 'string') return entry
  const { key, version, request, interactions } = entry
  return `{"key":${JSON.stringify(key)},"version":${version},"request":${canonicalJson(request)},"interactions":${canonicalJson(interactions)}}`
}

/**
 * Rewrites a pack with this process's recordings merged over what is on disk now (another
 * process may have recorded into it meanwhile), one line per cassette, sorted by key.
 */
async function write(bucket: Bucket): Promise<void> {
  const keys = [...bucket.dirty]
  bucket.dirty.clear()
  const merged = read(bucket.path)
  for (const key of keys) merged.set(key, bucket.cassettes.get(key) as CassetteFile)
  for (const [key, entry] of merged)
    if (!bucket.cassettes.has(key)) bucket.cassettes.set(key, entry)
  const lines = [...merged.keys()]
    .sort()
    .map((key) => line(merged.get(key) as string | CassetteFile))
  await writeFileAtomic(bucket.path, `${lines.join('\n')}\n`)
}

/** A file-name-safe form of a path segment or model id. */
function slug(text: string): string {
  const cleaned = text.replace(/^\/+|\/+$/g, '').replace(/[^A-Za-z0-9._-]+/g, '-')
  return cleaned === '' ? 'root' : cleaned.slice(0, 100)
}

async function walk(dir: string): Promise<string[]> {
  let entries
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch {
    return []
  }
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory()
        ? walk(join(dir, e.name))
        : Promise.resolve(e.name.endsWith('.jsonl') ? [join(dir, e.name)] : []),
    ),
  )
  return nested.flat()
}

/** Request bodies compared leaf by leaf: `[path, value]` pairs of the canonical JSON. */
export function leaves(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  const visit = (v: unknown, path: string): void => {
    if (v !== null && typeof v === 'object') {
      const entries = Array.isArray(v)
        ? v.map((x, i) => [String(i), x] as const)
        : Object.entries(v)
      if (entries.length === 0) out.set(path, canonicalJson(v))
      for (const [k, x] of entries) visit(x, path === '' ? k : `${path}.${k}`)
    } else {
      out.set(path, JSON.stringify(v))
    }
  }
  visit(value, prefix)
  return out
}
