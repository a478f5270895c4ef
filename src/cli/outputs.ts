import { extname, resolve } from 'node:path'
import type { Reporter } from '../contracts/reporter.js'
import { usageError } from '../errors.js'
import { jsonFileReporter } from '../reporters/json.js'
import { junitFileReporter } from '../reporters/junit.js'
import { markdownFileReporter } from '../reporters/markdown.js'

const BY_EXTENSION: Record<string, (path: string) => Reporter> = {
  '.json': jsonFileReporter,
  '.xml': junitFileReporter,
  '.md': markdownFileReporter,
}

/** File reporters for `-o` paths, chosen by extension; an unknown extension is a usage error. */
export function outputReporters(paths: readonly string[], cwd: string): Reporter[] {
  return paths.map((path) => {
    const make = BY_EXTENSION[extname(path).toLowerCase()]
    if (make === undefined) {
      throw usageError(
        `cannot tell the format of -o ${path}`,
        'use .json (results), .xml (JUnit) or .md (markdown summary)',
      )
    }
    return make(resolve(cwd, path))
  })
}
