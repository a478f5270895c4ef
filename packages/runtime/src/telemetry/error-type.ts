/**
 * A low-cardinality `error.type` for a failure, as OpenTelemetry asks: the error's name
 * (`RateLimitError`, `APIConnectionTimeoutError`, `AbortError`, `TypeError`), else its HTTP
 * status, else `_OTHER`.
 */
export function errorType(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '_OTHER'
  const name = specific((error as { name?: unknown }).name) ?? specific(error.constructor?.name)
  if (name !== undefined) return name
  const status = (error as { status?: unknown }).status
  return typeof status === 'number' ? String(status) : '_OTHER'
}

function specific(name: unknown): string | undefined {
  return typeof name === 'string' && name !== '' && name !== 'Error' && name !== 'Object'
    ? name
    : undefined
}
