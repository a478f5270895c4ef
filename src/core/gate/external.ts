import type { GateCheck } from '../../contracts/gate.js'

/** Line coverage in % from an lcov, Cobertura XML or istanbul `coverage-summary.json` report. */
export function lineCoverage(text: string): number {
  const trimmed = text.trimStart()
  if (trimmed.startsWith('{')) return istanbulCoverage(trimmed)
  if (trimmed.startsWith('<')) return coberturaCoverage(trimmed)
  return lcovCoverage(text)
}

function lcovCoverage(text: string): number {
  let found = 0
  let hit = 0
  let records = 0
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('LF:')) {
      found += Number(line.slice(3))
      records += 1
    } else if (line.startsWith('LH:')) hit += Number(line.slice(3))
  }
  if (records === 0) throw new Error('not an lcov report (no LF: records)')
  return found === 0 ? 100 : (hit / found) * 100
}

function coberturaCoverage(text: string): number {
  const root = /<coverage\b[^>]*>/.exec(text)?.[0]
  const rate = root === undefined ? undefined : /\bline-rate="([0-9.]+)"/.exec(root)?.[1]
  if (rate === undefined) throw new Error('not a Cobertura report (no <coverage line-rate>)')
  return Number(rate) * 100
}

function istanbulCoverage(text: string): number {
  const summary = JSON.parse(text) as { total?: { lines?: { pct?: unknown } } }
  const pct = summary.total?.lines?.pct
  if (typeof pct !== 'number') {
    throw new Error('not an istanbul coverage summary (no total.lines.pct)')
  }
  return pct
}

/** Counts of a SARIF 2.1 log's results. */
export interface SarifCounts {
  readonly errors: number
  readonly warnings: number
  readonly notes: number
  /** Results whose rule has `security-severity` ≥ 9.0 (GitHub code scanning's "critical"). */
  readonly critical: number
}

/** Counts the results of every run of a SARIF log, by level (default `warning`, per the spec). */
export function sarifCounts(text: string): SarifCounts {
  const log = JSON.parse(text) as { runs?: unknown }
  if (!Array.isArray(log.runs)) throw new Error('not a SARIF log (no runs)')
  let errors = 0
  let warnings = 0
  let notes = 0
  let critical = 0
  for (const run of log.runs as SarifRun[]) {
    const severity = new Map<string, number>()
    for (const rule of run.tool?.driver?.rules ?? []) {
      const s = Number(rule.properties?.['security-severity'])
      if (rule.id !== undefined && Number.isFinite(s)) severity.set(rule.id, s)
    }
    for (const result of run.results ?? []) {
      const level = result.level ?? 'warning'
      if (level === 'error') errors += 1
      else if (level === 'warning') warnings += 1
      else if (level === 'note') notes += 1
      const s =
        Number(result.properties?.['security-severity']) ||
        (result.ruleId === undefined ? undefined : severity.get(result.ruleId))
      if (s !== undefined && s >= 9) critical += 1
    }
  }
  return { errors, warnings, notes, critical }
}

interface SarifRun {
  readonly tool?: {
    readonly driver?: {
      readonly rules?: readonly {
        readonly id?: string
        readonly properties?: Record<string, unknown>
      }[]
    }
  }
  readonly results?: readonly {
    readonly ruleId?: string
    readonly level?: string
    readonly properties?: Record<string, unknown>
  }[]
}

/** The coverage check from a report's text, or its failure to parse. */
export function coverageCheck(file: string, text: string | Error, min: number): GateCheck {
  const base = { id: 'coverage', kind: 'external' as const, name: 'line coverage', limit: min }
  const parsed = text instanceof Error ? text : attempt(() => lineCoverage(text))
  if (parsed instanceof Error) {
    return {
      ...base,
      status: 'failed',
      actual: null,
      message: `cannot read ${file}: ${parsed.message}`,
    }
  }
  const ok = parsed >= min
  return {
    ...base,
    status: ok ? 'passed' : 'failed',
    actual: parsed,
    message: `line coverage ${parsed.toFixed(1)}% ${ok ? '≥' : '<'} min ${min}% (${file})`,
    approval: 'coverage',
  }
}

/** The limits of one SARIF file. */
export interface SarifLimits {
  readonly file: string
  readonly name?: string
  readonly maxErrors?: number
  readonly maxWarnings?: number
  readonly maxCritical?: number
}

/** The check of one SARIF file against its limits (no limit set: at most 0 errors). */
export function sarifCheck(spec: SarifLimits, text: string | Error): GateCheck {
  const name = spec.name ?? `findings in ${spec.file}`
  const base = { id: `sarif.${spec.name ?? spec.file}`, kind: 'external' as const, name }
  const counts = text instanceof Error ? text : attempt(() => sarifCounts(text))
  if (counts instanceof Error) {
    return {
      ...base,
      status: 'failed',
      actual: null,
      limit: null,
      message: `cannot read ${spec.file}: ${counts.message}`,
    }
  }
  const limits = (
    [
      ['errors', counts.errors, spec.maxErrors],
      ['warnings', counts.warnings, spec.maxWarnings],
      ['critical', counts.critical, spec.maxCritical],
    ] as const
  ).filter(([, , max]) => max !== undefined)
  const applied = limits.length > 0 ? limits : ([['errors', counts.errors, 0]] as const)
  const over = applied.filter(([, n, max]) => n > (max as number))
  const summary = `${counts.errors} errors, ${counts.warnings} warnings, ${counts.critical} critical`
  return {
    ...base,
    status: over.length === 0 ? 'passed' : 'failed',
    actual: over.length === 0 ? 0 : over.reduce((s, [, n]) => s + n, 0),
    limit: null,
    message:
      over.length === 0
        ? `${summary} (${spec.file}), within limits`
        : `${summary} (${spec.file}): ${over.map(([what, n, max]) => `${n} ${what} > max ${max}`).join(', ')}`,
    approval: 'findings',
  }
}

function attempt<T>(f: () => T): T | Error {
  try {
    return f()
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error))
  }
}
