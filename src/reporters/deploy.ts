/** Deploys and rollbacks for the terminal: the steps as they go, the record, what moved back. */
import type {
  CanaryStatus,
  DeployResult,
  Deployment,
  DeploymentStep,
  RollbackReport,
} from '../contracts/deploy.js'
import { formatDuration } from '../utils/duration.js'
import { oneLine, table } from './format.js'
import { releaseLabel } from './release.js'

/** A step as one progress line: `✓ smoke (1.2 s): 4 checks passed`. */
export function renderStepLine(step: DeploymentStep): string {
  const mark = { running: '…', passed: '✓', failed: '✗', skipped: '–' }[step.status]
  const took =
    step.finishedAt === null
      ? ''
      : ` (${formatDuration(Date.parse(step.finishedAt) - Date.parse(step.startedAt))})`
  const first = step.detail.split('\n')[0] ?? ''
  return `${mark} ${step.name}${took}${step.status === 'running' || first === '' ? '' : `: ${first}`}`
}

/** What a deploy did: the dry run's plan, or the deployment's record. */
export function renderDeployResult(result: DeployResult): string {
  if (result.kind === 'dry-run') {
    const previous =
      result.previous === null ? 'nothing (first deploy)' : releaseLabel(result.previous)
    const head = `dry run: ${releaseLabel(result.release)} would replace ${previous}`
    const verify = result.verify.ok
      ? `verify: ok (${result.verify.detail})`
      : `verify: FAILED: ${oneLine(result.verify.reason, 400)}`
    return `${head}\n${verify}\nplan:\n${result.plan.actions.map((a) => `  ${a}`).join('\n')}\n`
  }
  return renderDeployment(result.deployment)
}

/** A deployment as a table of steps and a last line saying how it ended. */
export function renderDeployment(d: Deployment): string {
  const rows = d.steps.map((s) => [
    s.name,
    s.status,
    s.finishedAt === null ? '' : formatDuration(Date.parse(s.finishedAt) - Date.parse(s.startedAt)),
    oneLine(s.detail.split('\n')[0] ?? '', 100),
  ])
  const ending = {
    running: 'still running',
    succeeded: `${d.releaseId} runs on ${d.target}`,
    failed: `failed before changing ${d.target}: ${oneLine(d.reason ?? '', 400)}`,
    rolled_back: `rolled back to ${d.previousReleaseId ?? 'nothing'}: ${oneLine(d.reason ?? '', 400)}`,
    rollback_failed: `ROLLBACK FAILED, ${d.target} needs a look: ${oneLine(d.reason ?? '', 400)}`,
  }[d.status]
  return `${d.id}  ${d.releaseId} → ${d.target}\n${table([['step', 'status', 'took', 'detail'], ...rows])}\n${ending}\n`
}

/** A coordinated rollback: each part and what happened to it. */
export function renderRollback(target: string, report: RollbackReport): string {
  const rows = report.parts.map((p) => [p.part, p.status, p.detail])
  const head = `${target}: ${releaseLabel(report.from)} → ${releaseLabel(report.to)}`
  const ending = report.ok ? 'rolled back' : 'ROLLBACK INCOMPLETE'
  return `${head}\n${table([['part', 'result', 'what'], ...rows])}\n${ending}\n`
}

/** The rollback as JSON: the releases by id, the parts, the record. */
export function rollbackJson(report: RollbackReport): string {
  const { ok, parts, deployment } = report
  return `${JSON.stringify({ ok, from: report.from.id, to: report.to.id, parts, deployment }, null, 2)}\n`
}

/** `shipgate canary status`: the deployment, where its canary is, and the last request. */
export function renderCanaryStatus(status: CanaryStatus): string {
  const d = status.deployment
  const lines = [
    `${d.id}: ${d.releaseId} over ${d.previousReleaseId ?? 'nothing'} on ${d.target}, ${d.status}${d.reason === null ? '' : ` (${oneLine(d.reason)})`}`,
    ...(status.steps.length === 0
      ? ['  the canary has not started']
      : status.steps.map((s) => `  ${oneLine(s)}`)),
  ]
  if (status.control !== null) {
    lines.push(`  last request: ${status.control.action} at ${status.control.at}`)
  }
  return `${lines.join('\n')}\n`
}
