/**
 * The vocabulary of the promptfoo importer: what the pure mapping reads (documents with line
 * numbers, handed in by the stage that does the I/O) and what it produces (a shipgate config,
 * the files it needs, and a finding for everything it could not carry over as is).
 */

import type { ImportFinding } from '../../contracts/import.js'

export type { ImportFinding }

/** A step of a path into a parsed document: a key of a map or an index of a list. */
export type DocPath = readonly (string | number)[]

/** A parsed promptfoo file (YAML, JSON, JSONL or CSV rows) that knows its lines. */
export interface PromptfooDocument {
  /** Path shown in findings, relative to the promptfoo config's directory. */
  readonly file: string
  readonly value: unknown
  /** 1-based line of the value at `path` (or of its nearest ancestor). */
  line(path: DocPath): number
}

/** What the mapping may read, relative to the promptfoo config's directory. */
export interface PromptfooFiles {
  /** The text of a file, or `undefined` when it cannot be read. */
  text(path: string): string | undefined
  /** A YAML, JSON, JSONL or CSV file parsed with lines, or why it could not be. */
  document(path: string): PromptfooDocument | { readonly problem: string }
  /** The files a glob matches, sorted; the pattern itself when it has no glob characters. */
  glob(pattern: string): readonly string[]
}

/** What the shipgate version at hand supports (the mapping takes it as data, not imports). */
export interface ShipgateSupport {
  /** Every assertion type name config accepts, `not-` forms included. */
  readonly assertionTypes: ReadonlySet<string>
}

/** What the mapping produced: the config as a value, and the files to write beside it. */
export interface ImportPlan {
  /** The shipgate.yaml content as a value (written as YAML). */
  readonly config: Record<string, unknown>
  /** Files to write, by path relative to the output directory, with their text. */
  readonly files: Readonly<Record<string, string>>
  /** The cases of the suite, written (as YAML) to `casesFile`. */
  readonly cases: readonly Record<string, unknown>[]
  /** Where the suite's cases go, relative to the output directory. */
  readonly casesFile: string
  readonly findings: readonly ImportFinding[]
  /** Environment variables the config names (`${VAR}`, `apiKeyEnv`). */
  readonly envNames: readonly string[]
}
