import { redactJson, redactText } from './secrets.js'

/**
 * The one redactor every sink goes through: results, reports, stored rows, stdout, stderr and
 * the fatal message. It replaces every secret-shaped string ({@link SECRET_SHAPES}) and every
 * value it was told about (the values of the environment variables the config names as
 * secrets) with `[REDACTED]`.
 */
export interface Redactor {
  /** `text` with every secret replaced. */
  text(text: string): string
  /**
   * A JSON-like value with every string redacted: copied where something changed, the value
   * itself when nothing did; other objects are kept as they are.
   */
  json<T>(value: T): T
  /**
   * Learns more secret values (empty and short ones, under 8 characters, are ignored: they
   * would blank out ordinary words). Called when a config is loaded; it never forgets.
   */
  add(values: Iterable<string | undefined>): void
}

/** Values shorter than this are not redacted: too likely to be ordinary text. */
export const MIN_SECRET_LENGTH = 8

/** A redactor that knows the secret shapes and `values`. */
export function createRedactor(values: Iterable<string | undefined> = []): Redactor {
  let known: string[] = []
  const redactor: Redactor = {
    text: (text) => redactText(text, known),
    json: <T>(value: T): T => redactJson(value, known) as T,
    add(more) {
      const fresh = [...more].filter(
        (v): v is string => v !== undefined && v.length >= MIN_SECRET_LENGTH && !known.includes(v),
      )
      // Longest first: a secret that contains another is replaced whole.
      if (fresh.length > 0) known = [...known, ...fresh].sort((a, b) => b.length - a.length)
    },
  }
  redactor.add(values)
  return redactor
}
