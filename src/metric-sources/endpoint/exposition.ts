/**
 * A parser of the Prometheus text exposition format (version 0.0.4): sample lines into name,
 * labels and value. Written here because parse-prometheus-text-format, the one parser on npm,
 * folds the series of a labelled histogram into one (losing their labels, counts and sums).
 */

/** One sample line. */
export interface Sample {
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  readonly value: number
}

const NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"/y

/** The samples of `text`; comments, blank lines and malformed lines are skipped. */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = []
  for (const line of text.split('\n')) {
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    const sample = parseLine(trimmed)
    if (sample !== null) samples.push(sample)
  }
  return samples
}

function parseLine(line: string): Sample | null {
  NAME.lastIndex = 0
  const name = NAME.exec(line)?.[0]
  if (name === undefined) return null
  let at = name.length
  const labels: Record<string, string> = {}
  if (line[at] === '{') {
    const end = parseLabels(line, at + 1, labels)
    if (end < 0) return null
    at = end
  }
  const value = parseValue(line.slice(at).trim().split(/\s+/)[0] ?? '')
  return value === null ? null : { name, labels, value }
}

/** Reads `a="x",b="y"}` from `at` into `labels`; the index after `}`, or -1 when malformed. */
function parseLabels(line: string, at: number, labels: Record<string, string>): number {
  for (;;) {
    const close = /\s*}/y
    close.lastIndex = at
    if (close.exec(line) !== null) return close.lastIndex
    LABEL.lastIndex = at
    const match = LABEL.exec(line)
    if (match === null) return -1
    let value = ''
    let i = LABEL.lastIndex
    for (; i < line.length && line[i] !== '"'; i++) {
      if (line[i] === '\\') {
        i++
        value += line[i] === 'n' ? '\n' : (line[i] ?? '')
      } else value += line[i]
    }
    if (i >= line.length) return -1
    labels[match[1] as string] = value
    at = i + 1
    const comma = /\s*,/y
    comma.lastIndex = at
    if (comma.exec(line) !== null) at = comma.lastIndex
  }
}

function parseValue(text: string): number | null {
  if (text === '+Inf' || text === 'Inf') return Infinity
  if (text === '-Inf') return -Infinity
  if (text === 'NaN') return NaN
  const value = Number(text)
  return text === '' || Number.isNaN(value) ? null : value
}
