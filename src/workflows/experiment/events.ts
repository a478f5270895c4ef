/**
 * One experiment event read from the wire (the collector's NDJSON body, a JSONL file): checked
 * field by field against the event format of `@shipgate/runtime/experiments` and normalized, or
 * refused with a reason. Unknown fields are ignored; an unknown version `v` is refused.
 */
import {
  EVENT_VERSION,
  type ExperimentEvent,
  type ExposureEvent,
} from '@shipgate/runtime/experiments'
import { errorMessage } from '../../utils/errors.js'

/** The limits every event is held to (docs/experiments.md, "The collector"). */
export const EVENT_LIMITS = {
  /** A name: `id`, `experiment`, `variant`, `user`, an outcome's `name` (UTF-16 units). */
  name: 256,
  /** A sample's `input` and `output`, each, in UTF-8 bytes. */
  sampleBytes: 64 * 1024,
} as const

/** An event, or why the text is not one. */
export type ParsedEvent =
  | { readonly ok: true; readonly event: ExperimentEvent }
  | { readonly ok: false; readonly error: string }

// An ISO 8601 time with a zone (Z or ±hh:mm): times without one would be read as local time.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i

/** Parses one line of JSON into an event; `at` becomes UTC with milliseconds (`toISOString`). */
export function parseEventLine(line: string): ParsedEvent {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch (error) {
    return { ok: false, error: `not JSON (${errorMessage(error)})` }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, error: 'an event is a JSON object' }
  return checkEvent(value as Record<string, unknown>)
}

/** Checks a decoded object as an event. */
export function checkEvent(raw: Readonly<Record<string, unknown>>): ParsedEvent {
  if (raw.v !== EVENT_VERSION)
    return {
      ok: false,
      error:
        raw.v === undefined
          ? `"v" is missing (the event format version, ${EVENT_VERSION})`
          : `unsupported event version v=${JSON.stringify(raw.v)}: this shipgate reads v=${EVENT_VERSION}; upgrade shipgate to read newer events`,
    }
  const base: Partial<Record<keyof Omit<ExposureEvent, 'v' | 'type'>, string>> = {}
  for (const field of ['id', 'experiment', 'variant', 'user'] as const) {
    const text = nameField(raw, field)
    if (typeof text !== 'string') return text
    base[field] = text
  }
  const at = timeField(raw.at)
  if (!at.ok) return at
  const common: Common = {
    v: EVENT_VERSION,
    ...(base as Omit<ExposureEvent, 'v' | 'type' | 'at'>),
    at: at.at,
  }
  switch (raw.type) {
    case 'exposure':
      return { ok: true, event: { ...common, type: 'exposure' } }
    case 'outcome':
      return outcomeOf(raw, common)
    case 'sample':
      return sampleOf(raw, common)
    default:
      return {
        ok: false,
        error: `"type" must be exposure, outcome or sample, got ${JSON.stringify(raw.type)}`,
      }
  }
}

type Common = Omit<ExposureEvent, 'type'>

function outcomeOf(raw: Readonly<Record<string, unknown>>, common: Common): ParsedEvent {
  const name = nameField(raw, 'name')
  if (typeof name !== 'string') return name
  const value = raw.value
  if (typeof value !== 'number' || !Number.isFinite(value))
    return { ok: false, error: `"value" must be a finite number, got ${JSON.stringify(value)}` }
  return { ok: true, event: { ...common, type: 'outcome', name, value } }
}

function sampleOf(raw: Readonly<Record<string, unknown>>, common: Common): ParsedEvent {
  const texts: Record<'input' | 'output', string> = { input: '', output: '' }
  for (const field of ['input', 'output'] as const) {
    const text = raw[field]
    if (typeof text !== 'string')
      return { ok: false, error: `"${field}" must be a string, got ${typeOf(text)}` }
    const bytes = Buffer.byteLength(text, 'utf8')
    if (bytes > EVENT_LIMITS.sampleBytes)
      return {
        ok: false,
        error: `"${field}" is ${bytes} bytes, over the ${EVENT_LIMITS.sampleBytes}-byte limit of a sample`,
      }
    texts[field] = text
  }
  return { ok: true, event: { ...common, type: 'sample', ...texts } }
}

/** A required non-empty string of at most {@link EVENT_LIMITS.name} characters, or the error. */
function nameField(
  raw: Readonly<Record<string, unknown>>,
  field: string,
): string | { ok: false; error: string } {
  const text = raw[field]
  if (typeof text !== 'string' || text === '')
    return { ok: false, error: `"${field}" must be a non-empty string, got ${typeOf(text)}` }
  if (text.length > EVENT_LIMITS.name)
    return {
      ok: false,
      error: `"${field}" is ${text.length} characters, over the limit of ${EVENT_LIMITS.name}`,
    }
  return text
}

function timeField(at: unknown): { ok: true; at: string } | { ok: false; error: string } {
  const ms = typeof at === 'string' && ISO_TIME.test(at) ? Date.parse(at) : NaN
  if (!Number.isFinite(ms))
    return {
      ok: false,
      error: `"at" must be an ISO 8601 time with a zone, e.g. 2026-12-07T10:00:00.000Z; got ${JSON.stringify(at)}`,
    }
  return { ok: true, at: new Date(ms).toISOString() }
}

function typeOf(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  return typeof value === 'string' ? '""' : typeof value
}
