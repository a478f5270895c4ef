/**
 * Headers a response carries when it went through cassettes, so the provider that made the call
 * can report it: `replay` (served from a recording; the latency header holds the recorded
 * latency) or `recorded` (just recorded).
 */
export const CASSETTE_HEADER = 'x-shipgate-cassette'

/** The latency, in milliseconds, an answer had when it was recorded. */
export const LATENCY_HEADER = 'x-shipgate-latency-ms'

/** How calls meet cassettes: served from them, recorded, recorded when missing, or ignored. */
export type CassetteMode = 'replay' | 'record' | 'record-missing' | 'passthrough'

/** Every mode, for option parsing. */
export const CASSETTE_MODES: readonly CassetteMode[] = [
  'replay',
  'record',
  'record-missing',
  'passthrough',
]
