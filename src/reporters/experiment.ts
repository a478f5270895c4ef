/**
 * `shipgate experiment` for people: the analysis as terminal text or markdown (a PR comment, an
 * issue, a job summary), decision first; the listing and the import's counts.
 */
import type {
  ExperimentImportReport,
  ExperimentListEntry,
  ExperimentReport,
} from '../contracts/experiment.js'
import { table } from './format.js'

/** The decision in one line. */
export function experimentHeadline(report: ExperimentReport): string {
  const d = report.decision
  const metric = report.primary.metric
  switch (d.outcome) {
    case 'winner': {
      const t = report.treatments.find((x) => x.variant === d.variant)
      const by =
        t === undefined ? '' : ` (${signed(t.primary.difference)} against ${report.control})`
      return `winner: ${d.variant} on ${metric}${by}`
    }
    case 'keep-running':
      return `keep running: ${d.missing.join('; ')}`
    case 'no-detectable-difference':
      return `no detectable difference in ${metric} at the planned end; minimum detectable effect ${Object.entries(
        d.mde,
      )
        .map(([v, mde]) => `${v} ±${num(mde)}`)
        .join(', ')}`
    case 'no-winner':
      return `no winner: ${d.reasons.join('; ')}`
    case 'invalid':
      return `invalid: ${d.reasons.join('; ')}`
    default:
      return d satisfies never
  }
}

/** The report as terminal text. */
export function renderExperimentReport(report: ExperimentReport): string {
  return sections(report, (rows) => table(rows)).join('\n') + '\n'
}

/** The report as markdown: a heading, the decision, then tables. */
export function renderExperimentMarkdown(report: ExperimentReport): string {
  const [, ...rest] = sections(report, markdownTable)
  return [
    `### Experiment \`${report.experiment}\``,
    '',
    `**${experimentHeadline(report)}**`,
    ...rest,
  ]
    .join('\n')
    .concat('\n')
}

/** Headline, SRM, exclusions, primary, guardrails, users and days, each with `render` for tables. */
function sections(
  report: ExperimentReport,
  render: (rows: readonly (readonly string[])[]) => string,
): string[] {
  const out = [experimentHeadline(report), '', srmLine(report)]
  const excluded = excludedLine(report)
  if (excluded !== null) out.push(excluded)
  const p = report.primary
  if (report.treatments.length > 0) {
    out.push(
      '',
      `primary: ${p.metric} (${p.kind}, ${p.better} is better, effect ${num(p.effect)}, alpha ${report.alpha})`,
      render([
        [
          'treatment',
          report.control,
          'treatment',
          `difference [always-valid ${pct(1 - report.alpha)}]`,
          'p',
          'adjusted p',
          'verdict',
        ],
        ...report.treatments.map((t) => [
          t.variant,
          num(t.primary.control),
          num(t.primary.treatment),
          interval(t.primary.difference, t.primary.interval),
          pValue(t.primary.pValue),
          pValue(t.primary.adjustedP),
          t.primary.verdict,
        ]),
      ]),
    )
    const guards = report.treatments.flatMap((t) => t.guardrails.map((g) => ({ t, g })))
    if (guards.length > 0)
      out.push(
        '',
        'guardrails (non-inferiority):',
        render([
          [
            'treatment',
            'metric',
            report.control,
            'treatment',
            'difference',
            'margin',
            'adjusted p',
            'result',
          ],
          ...guards.map(({ t, g }) => [
            t.variant,
            g.metric,
            num(g.control),
            num(g.treatment),
            signed(g.difference),
            g.relative ? `${pct(g.margin)} of ${report.control}` : num(g.margin),
            pValue(g.adjustedP),
            g.pass ? 'within margin' : 'not shown',
          ]),
        ]),
      )
  }
  out.push(
    '',
    `users: ${report.arms.map((a) => `${a.variant} ${a.users}`).join(', ')}`,
    daysLine(report),
  )
  return out
}

function srmLine(report: ExperimentReport): string {
  if (report.srm === null) return 'sample ratio: no users yet'
  const arms = report.arms
    .map(
      (a) =>
        `${a.variant} ${a.users} (planned ${pct(a.planned)}, expected ${Math.round(a.expected)})`,
    )
    .join(', ')
  const verdict = report.srm.mismatch ? 'MISMATCH' : 'ok'
  return `sample ratio: ${arms}; chi-square p = ${pValue(report.srm.pValue)}: ${verdict}`
}

function excludedLine(report: ExperimentReport): string | null {
  const { crossed, unplanned, unexposed } = report.excluded
  const parts: string[] = []
  if (crossed > 0) parts.push(`${crossed} users exposed to more than one variant`)
  for (const [variant, n] of Object.entries(unplanned))
    parts.push(`${n} users of unplanned variant '${variant}'`)
  if (unexposed > 0) parts.push(`${unexposed} users with outcomes but no exposure`)
  return parts.length === 0 ? null : `left out: ${parts.join(', ')}`
}

function daysLine(report: ExperimentReport): string {
  const since = report.started === null ? 'no exposure yet' : `since ${report.started}`
  return `days: ${report.days.toFixed(1)} of ${report.plannedDays} planned (minimum ${report.minDays}), ${since}, as of ${report.asOf}`
}

/** The experiments and what the store holds of each. */
export function renderExperimentList(entries: readonly ExperimentListEntry[]): string {
  if (entries.length === 0) return 'no experiments in shipgate.yaml or the store\n'
  const rows = entries.map((e) => [
    e.experiment,
    e.configured ? (e.flag ?? '') : '(not configured)',
    e.variants.join(', '),
    String(e.exposures),
    String(e.outcomes),
    String(e.samples),
    e.first ?? '-',
    e.last ?? '-',
  ])
  return `${table([['experiment', 'flag', 'variants', 'exposures', 'outcomes', 'samples', 'first', 'last'], ...rows])}\n`
}

/** What an import stored. */
export function renderExperimentImport(report: ExperimentImportReport): string {
  const skipped = report.skipped > 0 ? `, ${report.skipped} of other experiments skipped` : ''
  return `${report.file}: ${report.events} events, ${report.stored} stored, ${report.duplicates} already stored${skipped} (${report.experiments.join(', ') || 'none'})\n`
}

function markdownTable(rows: readonly (readonly string[])[]): string {
  const [head, ...body] = rows
  if (head === undefined) return ''
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`
  return [line(head), line(head.map(() => '---')), ...body.map(line)].join('\n')
}

function num(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞'
  return String(Number(x.toPrecision(4)))
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : ''}${num(x)}`
}

function interval(x: number, i: { lower: number; upper: number }): string {
  return `${signed(x)} [${num(i.lower)}, ${num(i.upper)}]`
}

function pValue(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toFixed(3)
}

function pct(x: number): string {
  return `${Number((x * 100).toPrecision(3))}%`
}
