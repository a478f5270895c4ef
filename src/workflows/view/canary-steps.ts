/**
 * A canary step's record read back into its rollout steps. The deploy writes the canary's
 * progress as text (workflows/deploy/canary.ts and steps.ts): while it runs, a line per event,
 * `canary i/n <status>: <detail>`; once it ends, a line per step, `i/n <action>: <outcome>`
 * (after the failure's reason when it failed), and `promoted by …` when a person promoted it.
 * Lines that match neither stay text, shown as they are.
 */
import type { DeploymentStep } from '../../contracts/deploy.js'
import type { CanaryStepRecord } from '../../contracts/view.js'

const ENDED = /^(\d+)\/(\d+) ([^:]+): ?(.*)$/
const PROGRESS = /^canary (\d+)\/(\d+) (running|passed|failed|paused): ?(.*)$/
const PROMOTED = /^(promoted by `shipgate canary promote`): ?(.*)$/
const WEIGHT = /^set the canary's weight to (\d+(?:\.\d+)?)%$/

/** What a step entry is while it is read: a record without its weight yet. */
type Entry = Omit<CanaryStepRecord, 'weight' | 'kind'>

/** The rollout steps a canary step's detail records, and the lines that are none of them. */
export function canarySteps(step: DeploymentStep): {
  readonly steps: CanaryStepRecord[]
  readonly note: string
} {
  if (step.name !== 'canary') return { steps: [], note: step.detail }
  const entries: Entry[] = []
  const note: string[] = []
  for (const line of step.detail.split('\n')) {
    if (!readLine(line, entries)) {
      const last = entries.at(-1)
      // Text after a step is its own output (a shift command's); before any, the reason.
      if (last === undefined) note.push(line)
      else entries[entries.length - 1] = { ...last, outcome: `${last.outcome}\n${line}` }
    }
  }
  const last = entries.at(-1)
  if (step.status === 'failed' && last !== undefined && last.status === 'passed')
    entries[entries.length - 1] = { ...last, status: 'failed' }
  return { steps: withWeights(entries), note: note.join('\n').trim() }
}

/** Adds the line to `entries` when it is a step line; false when it is not. */
function readLine(line: string, entries: Entry[]): boolean {
  const progress = PROGRESS.exec(line)
  if (progress !== null) {
    const [, i, n, status, detail] = progress
    const index = Number(i)
    const at = entries.findIndex((e) => e.index === index)
    const before = at < 0 ? undefined : entries[at]
    const entry: Entry = {
      index,
      total: Number(n),
      action: status === 'running' ? (detail ?? '') : (before?.action ?? ''),
      status: status as Entry['status'],
      outcome: status === 'running' ? '' : (detail ?? ''),
    }
    if (at < 0) entries.push(entry)
    else entries[at] = entry
    return true
  }
  const ended = ENDED.exec(line)
  if (ended !== null) {
    const [, i, n, action, outcome] = ended
    entries.push({
      index: Number(i),
      total: Number(n),
      action: action ?? '',
      status: 'passed',
      outcome: outcome ?? '',
    })
    return true
  }
  const promoted = PROMOTED.exec(line)
  if (promoted === null) return false
  const [, action, outcome] = promoted
  entries.push({
    index: null,
    total: null,
    action: action ?? '',
    status: 'passed',
    outcome: outcome ?? '',
  })
  return true
}

/** Each step's kind, and the canary's share of the traffic as the steps went. */
function withWeights(entries: readonly Entry[]): CanaryStepRecord[] {
  let share: number | null = null
  return entries.map((e) => {
    const weight = WEIGHT.exec(e.action)
    const kind: CanaryStepRecord['kind'] =
      weight !== null
        ? 'weight'
        : e.index === null
          ? 'promote'
          : e.action.startsWith('analyze')
            ? 'analysis'
            : e.action.startsWith('pause')
              ? 'pause'
              : 'other'
    if (e.status === 'passed' && weight !== null) share = Number(weight[1])
    if (e.status === 'passed' && kind === 'promote') share = 100
    return { ...e, kind, weight: share }
  })
}
