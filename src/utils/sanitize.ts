/**
 * Untrusted text made safe to show: case ids from case files, model output, assertion reasons
 * and error messages may carry terminal escapes, line breaks that start a GitHub workflow
 * command, bidirectional overrides that make a reader see something else, and @-mentions that
 * would notify real people. Every reporter shows such text through these functions.
 */

/**
 * C0 and C1 control characters and DEL, but tab, LF and CR: they drive terminals (ESC, BEL) or
 * corrupt files (NUL).
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g

/** Bidirectional formatting controls ("Trojan Source"): they reorder what a reader sees. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

/** Line breaks, including the Unicode ones some viewers honour. */
const BREAK = /\r\n|[\n\r\u2028\u2029]/g

/**
 * One line, at most `max` characters: line breaks shown as ⏎, tabs as spaces, control and
 * bidi characters as �. A line that starts with this text cannot start a workflow command.
 */
export function oneLine(text: string, max = 120): string {
  const clipped = text.length > max * 2 + 16 ? text.slice(0, max * 2 + 16) : text
  const flat = clipped
    .replace(BREAK, ' ⏎ ')
    .replace(/\t/g, ' ')
    .replace(CONTROL, '\ufffd')
    .replace(BIDI, '\ufffd')
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

/** Text of many lines with control and bidi characters shown as �; tabs and line breaks kept. */
export function plainText(text: string): string {
  return text.replace(CONTROL, '\ufffd').replace(BIDI, '\ufffd')
}

/**
 * `@name` made inert where GitHub renders markdown (PR comments, job summaries): a zero-width
 * joiner after the `@` keeps it readable and notifies nobody (`@here`, `@org/team` included).
 */
export function noMentions(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9_-])/g, '@\u200d')
}
