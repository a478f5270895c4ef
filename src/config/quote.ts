/** The longest value an issue quotes, in characters. */
export const MAX_QUOTED = 80

// C0 and C1 controls (ESC, BEL, NUL...), and bidi overrides that reorder what follows.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

/**
 * `text` made safe and short for a terminal: controls shown as `\u001b` escapes, and cut to
 * `max` characters with an ellipsis saying how much more there was.
 */
export function clip(text: string, max = MAX_QUOTED): string {
  const short = text.length > max ? text.slice(0, max) : text
  const safe = short.replace(
    UNPRINTABLE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
  return text.length > max
    ? `${safe}… (${(text.length - max).toLocaleString('en-US')} more characters)`
    : safe
}

/** A value quoted for an issue: JSON, clipped to {@link MAX_QUOTED} characters. */
export function quoteValue(value: unknown): string {
  if (typeof value === 'string' && value.length > MAX_QUOTED) {
    // Cut before escaping: no copy of a 50 MB value.
    const head = clip(JSON.stringify(value.slice(0, MAX_QUOTED)), MAX_QUOTED * 2)
    return `${head}… (${value.length.toLocaleString('en-US')} characters in all)`
  }
  let json: string
  try {
    json = JSON.stringify(value) ?? String(value)
  } catch {
    json = String(value)
  }
  return clip(json)
}
