/**
 * `shipgate experiment judge|start|ship|stop` in the terminal: what was graded and what it
 * cost; what a flag change did, whom it moved, and the release a ship recorded. Event fields
 * (variants, sample ids) come from the SDK and are shown as safe single lines.
 */
import type {
  ExperimentFlagResult,
  ExperimentJudgeReport,
  MovedUsers,
} from '../contracts/experiment-ops.js'
import { formatUsd, oneLine, table } from './format.js'

/** `experiment judge`: counts, the judge's calls, tokens and cost, and the mean per variant. */
export function renderExperimentJudge(report: ExperimentJudgeReport): string {
  const lines = [
    `${report.experiment}: graded ${report.graded} of ${report.samples} samples with ${report.judge} as ${report.metric}; ${report.skipped} already graded, ${report.failed} failed${report.failed > 0 ? ' (left for the next run)' : ''}${report.remaining > 0 ? `, ${report.remaining} left (--limit)` : ''}`,
    `judge calls ${report.calls}, tokens ${tokens(report)}, cost ${formatUsd(report.costUsd)}`,
    '',
    table([
      ['variant', 'graded', `mean ${report.metric}`],
      ...report.variants.map((v) => [
        oneLine(v.variant),
        String(v.graded),
        v.meanScore === null ? '-' : v.meanScore.toFixed(3),
      ]),
    ]),
    ...report.failures.map(
      (f) => `failed: ${oneLine(f.sample)} (${oneLine(f.variant)}): ${oneLine(f.message)}`,
    ),
  ]
  return `${lines.join('\n')}\n`
}

/** `experiment start|ship|stop`: the change (or that there was none), whom it moved, where. */
export function renderExperimentFlag(result: ExperimentFlagResult): string {
  const head = `experiment ${result.experiment} ${result.action}: flag ${result.flag} in ${result.file}${result.dryRun ? ' (dry run: nothing written)' : ''}`
  if (result.changes.length === 0) {
    return `${head}\nno change: the flag already ${result.action === 'start' ? 'serves the allocation' : `serves ${result.after.defaultVariant} to everyone`}\n${release(result)}`
  }
  const changes = result.changes.map((c) => `  ${c.action}: ${oneLine(c.summary)}`)
  const recorded = result.dryRun
    ? `would record ${result.changes.length} change${result.changes.length === 1 ? '' : 's'} in ${result.history}`
    : `recorded in ${result.history} (by ${oneLine(result.changes[0]?.who ?? 'unknown')})`
  return [head, ...changes, moved(result), recorded, release(result)].join('\n').trimEnd() + '\n'
}

function moved(result: ExperimentFlagResult): string {
  if (result.moved === null) return 'moves: unknown (the flag had custom targeting)'
  const shares = result.moved.map(share).join(', ')
  if (shares === '') return 'moves no user with a targetingKey'
  if (result.action === 'stop') return `moves ${shares}: a stop returns everyone to control`
  if (result.forced) return `moves ${shares} (--force: these users saw another variant before)`
  return `moves ${shares}`
}

function share(m: MovedUsers): string {
  return `${m.percent}% of users from ${oneLine(m.from)} to ${oneLine(m.to)}`
}

function release(result: ExperimentFlagResult): string {
  const r = result.release
  if (r === null) return ''
  const settings = Object.entries(r.env).map(([k, v]) => `${k}=${v}`)
  return `release ${r.id}${r.name === null ? '' : ` (${r.name})`} ${r.status === 'created' ? 'recorded' : 'exists (same content)'}${settings.length > 0 ? `, ${settings.join(' ')}` : ''}\n`
}

function tokens(report: ExperimentJudgeReport): string {
  const u = report.usage
  return u === null ? '0' : `${u.input} in / ${u.output} out`
}
