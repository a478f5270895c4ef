import type { Reporter } from '../contracts/reporter.js'
import type { ResultsDocument } from '../contracts/results.js'
import { writeFileAtomic } from '../utils/files.js'

/** The results document as pretty JSON. */
export function renderJson(results: ResultsDocument): string {
  return `${JSON.stringify(results, null, 2)}\n`
}

/** Writes the results file (ARCHITECTURE §2) when the run ends. */
export function jsonFileReporter(path: string): Reporter {
  return { name: `json:${path}`, onRunEnd: (results) => writeFileAtomic(path, renderJson(results)) }
}
