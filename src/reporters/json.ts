import type { ResultsDocument } from '../contracts/results.js'

/** The results document as pretty JSON. */
export function renderJson(results: ResultsDocument): string {
  return `${JSON.stringify(results, null, 2)}\n`
}
