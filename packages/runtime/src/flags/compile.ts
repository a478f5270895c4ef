/**
 * Reads a flag file's text into an evaluator: JSON syntax, then the flagd schema (flagd-core's
 * own precompiled validator, run in strict mode), then what the schema cannot see — a default
 * variant or a `fractional` bucket naming a variant the flag does not define. The problems come
 * back together as one ConfigError, each naming the file, line, flag and path (the schema
 * validator stops at the first invalid flag).
 */
import type { Logger } from '@openfeature/core'
import { FlagdCore, MemoryStorage } from '@openfeature/flagd-core'
import { ConfigError, type ConfigIssue } from '../errors.js'
import { locate, positionAt } from './positions.js'
import { schemaIssues, type PointerIssue, type SchemaError } from './schema-issues.js'
import { semanticIssues } from './semantic-issues.js'

/** A validated flag file, ready to evaluate. */
export interface CompiledFlags {
  /** flagd-core's evaluator over exactly this file's flags. */
  readonly core: FlagdCore
  /** Flag key → hash of its definition: comparing two files' hashes names the changed flags. */
  readonly hashes: ReadonlyMap<string, string>
}

const HINT = "the format is flagd's: https://flagd.dev/reference/flag-definitions/"
const SCHEMA_PREFIX = 'invalid flagd flag configuration: '

/** Validates and compiles `text`, read from `file`; throws a ConfigError listing every issue. */
export function compileFlags(text: string, file: string): CompiledFlags {
  const json = parseJson(text, file)
  const semantic = semanticIssues(json)
  const parsed = strictParse(text)
  if ('storage' in parsed && semantic.length === 0) {
    const hashes = new Map([...parsed.storage.getFlags()].map(([key, flag]) => [key, flag.hash]))
    return { core: new FlagdCore(parsed.storage, quietLogger), hashes }
  }
  const issues =
    'storage' in parsed
      ? semantic
      : [...(parsed.generic && semantic.length > 0 ? [] : parsed.issues), ...semantic]
  throw new ConfigError(
    issues.map((issue) => toConfigIssue(text, file, issue)),
    'storage' in parsed ? {} : { cause: parsed.cause },
  )
}

/** The keys whose definitions differ between two compiled files: added, removed or changed. */
export function changedFlags(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): string[] {
  const keys = new Set([...before.keys(), ...after.keys()])
  return [...keys].filter((key) => before.get(key) !== after.get(key)).sort()
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const offset = /at position (\d+)/.exec(message)?.[1]
    const at = offset === undefined ? undefined : positionAt(text, Number(offset))
    const issue = { file, line: at?.line, column: at?.column, message: `invalid JSON: ${message}` }
    throw new ConfigError([issue], { cause: error })
  }
}

type StrictParse =
  | { readonly storage: MemoryStorage }
  | {
      readonly issues: PointerIssue[]
      /** The issue is flagd-core's unspecific message: the semantic checks say it better. */
      readonly generic: boolean
      readonly cause: unknown
    }

/** flagd-core's own parse with strict validation; its warnings flag targeting it cannot compile. */
function strictParse(text: string): StrictParse {
  const warnings: string[] = []
  const storage = new MemoryStorage({
    ...quietLogger,
    warn: (m: unknown) => warnings.push(String(m)),
  })
  try {
    storage.setConfigurations(text, true)
  } catch (error) {
    const schema = schemaErrors(error)
    const issues = schema ? schemaIssues(schema) : [{ pointer: [], message: causeText(error) }]
    return { issues, generic: schema === undefined, cause: error }
  }
  const targeting = warnings.flatMap((w) => {
    const key = /flag '(.*)'$/.exec(w)?.[1]
    return key === undefined ? [] : [{ pointer: ['flags', key, 'targeting'], message: w }]
  })
  return targeting.length > 0
    ? { issues: targeting, generic: false, cause: undefined }
    : { storage }
}

/** The ajv errors that flagd-core puts, as JSON, into its ParseError's message. */
function schemaErrors(error: unknown): SchemaError[] | undefined {
  if (!(error instanceof Error) || !error.message.startsWith(SCHEMA_PREFIX)) return undefined
  try {
    const errors: unknown = JSON.parse(error.message.slice(SCHEMA_PREFIX.length))
    return Array.isArray(errors) ? (errors as SchemaError[]) : undefined
  } catch {
    return undefined
  }
}

function causeText(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message
}

function toConfigIssue(text: string, file: string, issue: PointerIssue): ConfigIssue {
  const at = locate(text, issue.pointer)
  return { file, line: at?.line, column: at?.column, message: describe(issue), hint: HINT }
}

/** `flag 'prompt_version': targeting.fractional[0][1] must be integer`. */
function describe({ pointer, message }: PointerIssue): string {
  if (pointer[0] === 'flags' && pointer.length >= 2) {
    const path = dotted(pointer.slice(2))
    return `flag '${pointer[1]}': ${path === '' ? '' : `${path} `}${message}`
  }
  const path = dotted(pointer)
  return path === '' ? message : `${path} ${message}`
}

function dotted(path: readonly string[]): string {
  return path.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`)).join('')
}

const quietLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
}
