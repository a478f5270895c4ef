import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { canonicalJson } from '../utils/hash.js'
import { writeFileAtomic } from '../utils/files.js'
import { modelOf } from './key.js'
import type { CassetteFile, Interaction, RecordedRequest } from './types.js'

/**
 * Cassettes on disk: one pretty-printed JSON file per distinct request,
 * `<dir>/<api path>/<model>/<key>.json`, holding the request and its answers by ordinal
 * (docs/decisions/0004-cassette-layout.md). Files are read once per process and written
 * atomically; writes to one file are serialized.
 */
export class CassetteFiles {
  private readonly cache = new Map<string, Promise<CassetteFile | undefined>>()
  private readonly locks = new Map<string, Promise<void>>()

  constructor(readonly dir: string) {}

  /** Where the cassette of a request lives. */
  pathOf(request: RecordedRequest, key: string): string {
    return join(
      this.dir,
      slug(request.path.split('?')[0] ?? ''),
      slug(modelOf(request) ?? 'any'),
      `${key}.json`,
    )
  }

  /** The recorded answer for the `ordinal`-th identical request, if there is one. */
  async interaction(
    request: RecordedRequest,
    key: string,
    ordinal: number,
  ): Promise<Interaction | undefined> {
    const cassette = await this.load(this.pathOf(request, key))
    return cassette?.interactions[ordinal]
  }

  /** Records the answer to the `ordinal`-th identical request. */
  put(
    request: RecordedRequest,
    key: string,
    ordinal: number,
    interaction: Interaction,
  ): Promise<void> {
    const path = this.pathOf(request, key)
    const previous = this.locks.get(path) ?? Promise.resolve()
    const next = previous.then(async () => {
      const current = await this.load(path)
      const interactions = [...(current?.interactions ?? [])]
      interactions[ordinal] = interaction
      // An ordinal recorded before a lower one (concurrent identical requests) leaves no hole.
      for (let i = 0; i < interactions.length; i++) interactions[i] ??= interaction
      const cassette: CassetteFile = { version: 1, key, request, interactions }
      await writeFileAtomic(path, `${JSON.stringify(cassette, null, 2)}\n`)
      this.cache.set(path, Promise.resolve(cassette))
    })
    const settled = next.catch(() => undefined)
    this.locks.set(path, settled)
    void settled.then(() => {
      if (this.locks.get(path) === settled) this.locks.delete(path)
    })
    return next
  }

  /** Every cassette under the directory, for finding the nearest recording of a miss. */
  async all(): Promise<{ file: string; cassette: CassetteFile }[]> {
    const files = await walk(this.dir)
    const loaded = await Promise.all(
      files.map(async (file) => ({ file, cassette: await this.load(file) })),
    )
    return loaded
      .filter((f): f is { file: string; cassette: CassetteFile } => f.cassette !== undefined)
      .map((f) => ({ file: relative(process.cwd(), f.file) || f.file, cassette: f.cassette }))
  }

  private load(path: string): Promise<CassetteFile | undefined> {
    let loaded = this.cache.get(path)
    if (loaded === undefined) {
      loaded = readFile(path, 'utf8').then(
        (text) => JSON.parse(text) as CassetteFile,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return undefined
          throw error
        },
      )
      this.cache.set(path, loaded)
    }
    return loaded
  }
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
        : Promise.resolve(e.name.endsWith('.json') ? [join(dir, e.name)] : []),
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
