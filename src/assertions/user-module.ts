import { statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'

const require = createRequire(import.meta.url)

/** The versions (mtime and size) of a user module: when first imported, and last. */
interface Versions {
  readonly first: string
  last: string
}

/*
 * A cache with an invalidation rule: the versions of each user module this process imported,
 * by path. A file saved since its last import is imported again; an unchanged one comes from
 * the module loader's own cache.
 */
const seen = new Map<string, Versions>()

/**
 * Imports the user's module at `path` (an assertion or transform file), again when the file
 * changed since this process last imported it, so a long-lived process (`eval --watch`) runs
 * the code as saved: an ES module under a URL that carries the file's version, a CommonJS one
 * after it is dropped from the require cache. Until the file changes the plain URL is used, so
 * the module is the same instance the user's other modules import.
 */
export async function importUserModule(path: string): Promise<Record<string, unknown>> {
  const stat = statSync(path)
  const version = `${stat.mtimeMs}-${stat.size}`
  let versions = seen.get(path)
  if (versions === undefined) {
    versions = { first: version, last: version }
    seen.set(path, versions)
  }
  if (versions.last !== version) {
    delete require.cache[path]
    versions.last = version
  }
  const url = pathToFileURL(path)
  if (version !== versions.first) url.searchParams.set('v', version)
  return (await import(url.href)) as Record<string, unknown>
}
