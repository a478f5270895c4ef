import { defineCommand } from '../define.js'
import { EXIT, json, project } from '../io.js'
import { configOption, duration, jsonOption } from '../options.js'

/**
 * `shipgate deploy TARGET`: exit 0 when the release runs and passed its checks, 1 when it was
 * rolled back (or failed before touching the target), 3 when the rollback failed too.
 */
export default defineCommand({
  meta: {
    name: 'deploy',
    description:
      'deploy a release: verify, plan, apply, wait healthy, smoke, monitor; roll back on failure',
  },
  options: (command) =>
    command
      .argument('<target>', 'a target under targets: in the config')
      .addOption(configOption())
      .option('--release <ref>', 'release id, prefix or name (default: the latest)')
      .option('--dry-run', 'verify the target and print the plan; change nothing')
      .option('--resume', "finish or roll back the target's interrupted deploy")
      .option(
        '--take-over',
        'with --resume: take over a deploy left running by a process on another machine (a lost CI runner)',
      )
      .option('--no-monitor', 'skip the monitor step')
      .option(
        '--duration <d>',
        'how long the monitor watches (overrides monitor.duration)',
        duration,
      )
      .option('--interval <d>', 'monitor interval (overrides monitor.interval)', duration)
      .addOption(jsonOption('the deployment record')),
  async run({ args: [target], flags, io }) {
    const { deploy } = await import('../../workflows/deploy/index.js')
    const { describeInterval } = await import('../../reporters/checks.js')
    const { renderDeployResult, renderStepLine } = await import('../../reporters/deploy.js')
    const result = await deploy({
      ...project(io, flags.config),
      logger: io.logger.child('deploy'),
      target,
      release: flags.release,
      dryRun: flags.dryRun === true,
      resume: flags.resume === true,
      takeOver: flags.takeOver === true,
      skipMonitor: !flags.monitor,
      monitorDurationMs: flags.duration,
      monitorIntervalMs: flags.interval,
      onStep: (step) => io.stderr(`${renderStepLine(step)}\n`),
      onInterval: (interval, total) => io.stderr(`  ${describeInterval(interval, total)}\n`),
    })
    io.stdout(flags.json === true ? json(result) : renderDeployResult(result))
    if (result.kind === 'dry-run') return result.verify.ok ? EXIT.ok : EXIT.negative
    const status = result.deployment.status
    if (status === 'succeeded') return EXIT.ok
    if (status === 'rollback_failed') return EXIT.environment
    return io.signal.aborted ? EXIT.interrupted : EXIT.negative
  },
})
