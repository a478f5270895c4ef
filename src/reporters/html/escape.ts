/**
 * The one way text becomes HTML in the report: the `html` template escapes every value it is
 * given, unless the value is already {@link Markup} made by `html` itself. Model outputs, vars,
 * case ids, suite names and judge reasons are only ever interpolated, so they stay text.
 */

/** HTML built by {@link html}; the only thing inserted unescaped. */
export class Markup {
  /** Built only by {@link html}, so its text is escaped markup. */
  constructor(readonly text: string) {}
  /** The markup as a string. */
  toString(): string {
    return this.text
  }
}

/** What may be interpolated: text (escaped), markup, lists of either; nothing for null/false. */
export type Slot = string | number | Markup | null | undefined | false | readonly Slot[]

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
}

/** `text` with every character that means something in HTML (content or attribute) escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ENTITIES[c] ?? c)
}

function render(slot: Slot): string {
  if (slot === null || slot === undefined || slot === false) return ''
  if (slot instanceof Markup) return slot.text
  if (Array.isArray(slot)) return (slot as readonly Slot[]).map(render).join('')
  return escapeHtml(String(slot))
}

/**
 * A template tag: the literal parts are markup written here, every `${value}` is escaped text
 * (or markup made by `html`). Attribute values must be quoted in the literal part.
 */
export function html(parts: TemplateStringsArray, ...values: readonly Slot[]): Markup {
  let out = parts[0] ?? ''
  values.forEach((value, i) => {
    out += render(value) + (parts[i + 1] ?? '')
  })
  return new Markup(out)
}
