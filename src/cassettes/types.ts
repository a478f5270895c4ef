/** How recorded LLM traffic is used (the modes), and where recordings go by default. */
export { CASSETTE_MODES, type CassetteMode } from '../contracts/cassette.js'

/**
 * The `cassettes:` settings when the config leaves them out; the config schema takes its
 * defaults from here. (Without a `cassettes:` section at all, calls pass through unrecorded.)
 */
export const DEFAULT_CASSETTES = Object.freeze({
  /** Directory of the cassette files, relative to the config. */
  dir: 'cassettes',
  mode: 'record-missing',
  timing: 'instant',
})

/** A request as a cassette keeps it: no credentials, no SDK telemetry. */
export interface RecordedRequest {
  readonly method: string
  /** Where it was sent when recorded; informational, not part of the key. */
  readonly host: string
  /** Path and sorted query. */
  readonly path: string
  /** Only the headers that change the answer (API versions and betas). */
  readonly headers: Readonly<Record<string, string>>
  /** Parsed JSON (volatile fields dropped, secrets redacted), or the raw text. */
  readonly body: unknown
}

/** One server-sent event as received: its raw text block and when it arrived. */
export interface RecordedEvent {
  /** Milliseconds from the request's start. */
  readonly offsetMs: number
  /** The event's lines (`event: ...`, `data: ...`) without the blank line that ends it. */
  readonly data: string
}

/** A recorded answer. */
export interface Interaction {
  readonly recordedAt: string
  /** From the request's start to the answer's end. */
  readonly latencyMs: number
  readonly response: {
    readonly status: number
    readonly headers: Readonly<Record<string, string>>
    /** A JSON answer, parsed. */
    readonly body?: unknown
    /** A non-JSON answer. */
    readonly text?: string
    /** A streamed answer, event by event. */
    readonly events?: readonly RecordedEvent[]
  }
}

/** One cassette file: a request and its answers, one per ordinal (the n-th identical request). */
export interface CassetteFile {
  readonly version: 1
  readonly key: string
  readonly request: RecordedRequest
  readonly interactions: readonly Interaction[]
}

/** A replay that found no recording. */
export interface CassetteMiss {
  readonly request: RecordedRequest
  readonly key: string
  readonly ordinal: number
  /** The closest recording of the same path, and where it differs. */
  readonly nearest?: {
    readonly file: string
    readonly differences: readonly {
      readonly path: string
      readonly recorded: string
      readonly requested: string
    }[]
  }
}
