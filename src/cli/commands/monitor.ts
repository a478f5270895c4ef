import { Option } from '@commander-js/extra-typings'
import type { MonitorOutcome } from '../../contracts/checks.js'
import { defineCommand } from '../define.js'
import { EXIT, json, project } from '../io.js'
import { configOption, duration, jsonOption } from '../options.js'

/**
 * Exit codes by outcome. Inconclusive (too little traffic to judge) is 1 by default: no data is
 * never a pass unless `monitor.onInconclusive: pass` says so, and then it is 0 with a warning.
 */
export const MONITOR_EXIT: Record<MonitorOutcome, number> = {
  passed: EXIT.ok,
  failed: EXIT.negative,
  inconclusive: EXIT.negative,
  error: EXIT.environment,
}

/**
 * `shipgate monitor TARGET|URL`: watches the release interval by interval, judging the whole run
 * with sequential tests after each (progress on stderr, the result on stdout). Exit 0 passed, 1
 * failed or inconclusive (0 under `onInconclusive: pass`), 3 when metrics could not be read.
 * With `--once`, the scheduled health and spend check.
 */
export default defineCommand({
  meta: {
    name: 'monitor',
    description:
      'watch a release with sequential tests against monitor: limits and the previous release; exit 0 passed, 1 failed or inconclusive, 3 no metrics',
  },
  options: (command) =>
    command
      .argument('<target>', 'a URL (http://…) or a target under targets:')
      .addOption(configOption('for monitor: and targets:'))
      .option('--duration <d>', 'how long to watch (default monitor.duration, 5m)', duration)
      .option(
        '--interval <d>',
        'length of each judged interval (default monitor.interval, 30s)',
        duration,
      )
      .option('--release <id>', 'the release to watch (its `release` label); default all traffic')
      .option(
        '--baseline-release <id>',
        'compare with this release (the one deployed before): its totals, and its traffic while it still serves',
      )
      .option('--once', 'one health check and the spend per hour against thresholds.costPerHourUsd')
      .addOption(
        new Option(
          '--since <d>',
          'judge the last <d> at once from Prometheus history (a range query) instead of watching',
        )
          .argParser(duration)
          .conflicts('once'),
      )
      .addOption(jsonOption('the report')),
  async run({ args: [spec], flags, io }) {
    const { monitor } = await import('../../workflows/checks/index.js')
    const { describeInterval, renderMonitor, renderOnce } =
      await import('../../reporters/checks.js')
    const result = await monitor({
      ...project(io, flags.config),
      spec,
      release: flags.release,
      baselineRelease: flags.baselineRelease,
      durationMs: flags.duration,
      intervalMs: flags.interval,
      sinceMs: flags.since,
      once: flags.once === true,
      onInterval: (interval, total) => io.stderr(`${describeInterval(interval, total)}\n`),
    })
    if (result.kind === 'once') {
      io.stdout(flags.json === true ? json(result.report) : renderOnce(result.report))
    } else {
      io.stdout(flags.json === true ? json(result.report) : renderMonitor(result.report))
    }
    if (result.kind === 'watch' && io.signal.aborted) return EXIT.interrupted
    if (result.kind !== 'once' && result.report.outcome === 'inconclusive' && result.passed) {
      io.stderr('warning: too little traffic to judge; passing as monitor.onInconclusive says\n')
      return EXIT.ok
    }
    return MONITOR_EXIT[result.report.outcome]
  },
})
