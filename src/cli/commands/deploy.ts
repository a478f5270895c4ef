import { deploy, type DeployResult } from '../../workflows/deploy/deploy.js'
import { label } from '../../workflows/deploy/events.js'
import { describeInterval } from '../../workflows/checks/monitor.js'
import type { Deployment, DeploymentStep } from '../../contracts/deploy.js'
import { usageError } from '../../errors.js'
import { table } from '../../reporters/format.js'
import { formatDuration, parseDuration } from '../../utils/duration.js'
import type { DeployFlags } from '../cd-program.js'
import { EXIT, type CommandIO } from '../io.js'

/**
 * `shipgate deploy TARGET`: exit 0 when the release runs and passed its checks, 1 when it was
 * rolled back (or failed before touching the target), 3 when the rollback failed too.
 */
export async function runDeployCommand(
  target: string,
  flags: DeployFlags,
  io: CommandIO,
): Promise<number> {
  const result = await deploy({
    cwd: io.cwd,
    env: io.env,
    logger: io.logger.child('deploy'),
    signal: io.signal,
    target,
    ...(flags.config === undefined ? {} : { configFile: flags.config }),
    ...(flags.release === undefined ? {} : { release: flags.release }),
    dryRun: flags.dryRun === true,
    resume: flags.resume === true,
    skipMonitor: flags.monitor === false,
    ...durations(flags),
    onStep: (step) => io.stderr(`${stepLine(step)}\n`),
    onInterval: (interval, total) => io.stderr(`  ${describeInterval(interval, total)}\n`),
  })
  io.stdout(flags.json === true ? `${JSON.stringify(result, null, 2)}\n` : render(result))
  if (result.kind === 'dry-run') return result.verify.ok ? EXIT.ok : EXIT.negative
  const status = result.deployment.status
  if (status === 'succeeded') return EXIT.ok
  if (status === 'rollback_failed') return EXIT.environment
  return io.signal.aborted ? EXIT.interrupted : EXIT.negative
}

function durations(flags: DeployFlags): { monitorDurationMs?: number; monitorIntervalMs?: number } {
  const parse = (value: string | undefined, flag: string): number | undefined => {
    if (value === undefined) return undefined
    const ms = parseDuration(value)
    if (ms === undefined || ms <= 0)
      throw usageError(`${flag} ${value} is not a duration`, 'write it like 30s, 5m or 1h')
    return ms
  }
  const duration = parse(flags.duration, '--duration')
  const interval = parse(flags.interval, '--interval')
  return {
    ...(duration === undefined ? {} : { monitorDurationMs: duration }),
    ...(interval === undefined ? {} : { monitorIntervalMs: interval }),
  }
}

function stepLine(step: DeploymentStep): string {
  const mark = { running: '…', passed: '✓', failed: '✗', skipped: '–' }[step.status]
  const took =
    step.finishedAt === null
      ? ''
      : ` (${formatDuration(Date.parse(step.finishedAt) - Date.parse(step.startedAt))})`
  const first = step.detail.split('\n')[0] ?? ''
  return `${mark} ${step.name}${took}${step.status === 'running' || first === '' ? '' : `: ${first}`}`
}

function render(result: DeployResult): string {
  if (result.kind === 'dry-run') {
    const head = `dry run: ${label(result.release)} would replace ${result.previous === null ? 'nothing (first deploy)' : label(result.previous)}`
    const verify = result.verify.ok
      ? `verify: ok (${result.verify.detail})`
      : `verify: FAILED: ${result.verify.reason}`
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
    (s.detail.split('\n')[0] ?? '').slice(0, 100),
  ])
  const ending = {
    running: 'still running',
    succeeded: `${d.releaseId} runs on ${d.target}`,
    failed: `failed before changing ${d.target}: ${d.reason ?? ''}`,
    rolled_back: `rolled back to ${d.previousReleaseId ?? 'nothing'}: ${d.reason ?? ''}`,
    rollback_failed: `ROLLBACK FAILED, ${d.target} needs a look: ${d.reason ?? ''}`,
  }[d.status]
  return `${d.id}  ${d.releaseId} → ${d.target}\n${table([['step', 'status', 'took', 'detail'], ...rows])}\n${ending}\n`
}
