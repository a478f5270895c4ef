import type {
  DocPath,
  ImportFinding,
  PromptfooDocument,
  PromptfooFiles,
  ShipgateSupport,
} from './types.js'

/** The state one import builds up: findings, files to write, environment names. */
export class ImportContext {
  readonly findings: ImportFinding[] = []
  readonly files: Record<string, string> = {}
  readonly envNames = new Set<string>()
  /** Provider entries of shipgate.yaml, by name. */
  readonly providers: Record<string, Record<string, unknown>> = {}
  /** Prompt entries of shipgate.yaml, by name. */
  readonly prompts: Record<string, unknown> = {}
  /** Provider names by the promptfoo id (or label) they came from. */
  readonly providerIds = new Map<string, string>()
  /** The judge provider (and embeddings provider) of model-graded assertions, once set. */
  judge: { provider?: string; embeddings?: string } = {}
  /** Whether any assertion needs a judge. */
  needsJudge = false

  constructor(
    readonly io: PromptfooFiles,
    readonly support: ShipgateSupport,
  ) {}

  /** Reports something left out, at `path` of `doc`. */
  unmapped(doc: PromptfooDocument, path: DocPath, feature: string, reason: string): void {
    this.findings.push({ kind: 'unmapped', file: doc.file, line: doc.line(path), feature, reason })
  }

  /** Reports something carried over with a difference the user should review. */
  changed(doc: PromptfooDocument, path: DocPath, feature: string, reason: string): void {
    this.findings.push({ kind: 'changed', file: doc.file, line: doc.line(path), feature, reason })
  }

  /** Adds a file to write under a path no other file has taken; returns that path. */
  addFile(wanted: string, text: string): string {
    let path = wanted
    const dot = wanted.lastIndexOf('.')
    for (let i = 2; Object.hasOwn(this.files, path) && this.files[path] !== text; i++) {
      path = dot > 0 ? `${wanted.slice(0, dot)}-${i}${wanted.slice(dot)}` : `${wanted}-${i}`
    }
    this.files[path] = text
    return path
  }
}

/** The value at `path` inside `value`, or undefined. */
export function at(value: unknown, path: DocPath): unknown {
  let node = value
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string | number, unknown>)[key]
  }
  return node
}

/** A plain object (not a list), or undefined. */
export function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined
}

/** A promptfoo `file://` reference's path, or undefined for anything else. */
export function fileRef(value: unknown): string | undefined {
  return typeof value === 'string' && value.startsWith('file://')
    ? value.slice('file://'.length)
    : undefined
}

/** A name safe for shipgate (letters, digits, `.`, `_`, `-`), from any label. */
export function safeName(label: string, fallback: string): string {
  const name = label
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, 60)
  return name === '' ? fallback : name
}

/** Names that stay unique in `taken`, with `-2`, `-3` suffixes. */
export function uniqueName(wanted: string, taken: Set<string>): string {
  let name = wanted
  for (let i = 2; taken.has(name); i++) name = `${wanted}-${i}`
  taken.add(name)
  return name
}
