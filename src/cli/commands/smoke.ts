import { pipelineEvent } from '../../workflows/alerts/index.js'
import { runSmoke, type SmokeReport } from '../../workflows/checks/smoke.js'
import { openService } from '../../workflows/checks/service.js'
import { formatMs, oneLine, table } from '../../reporters/format.js'
import { EXIT, serviceOptions, type CommandIO } from '../io.js'
import type { SmokeFlags } from '../program.js'

/** `shipgate smoke TARGET|URL`: the smoke checks; exit 0 when all pass, 1 when one fails. */
export async function runSmokeCommand(
  spec: string,
  flags: SmokeFlags,
  io: CommandIO,
): Promise<number> {
  const service = await openService(serviceOptions(spec, flags.config, io))
  try {
    io.logger.info(`smoke testing ${service.baseUrl}`)
    const report = await runSmoke({
      baseUrl: service.baseUrl,
      config: service.smoke,
      signal: io.signal,
      logger: io.logger.child('smoke'),
    })
    io.stdout(flags.json === true ? `${JSON.stringify(report, null, 2)}\n` : renderSmoke(report))
    if (io.signal.aborted) return EXIT.interrupted
    if (report.passed) return EXIT.ok
    const failed = report.checks
      .filter((c) => !c.passed)
      .map((c) => `${c.name}: ${c.reason ?? 'failed'}`)
    const where = service.target ?? service.baseUrl
    const summary = `smoke tests of ${where} failed: ${failed.join('; ')}`
    await service.notify(
      pipelineEvent(
        'smoke.failed',
        { summary, ...(service.target === null ? {} : { target: service.target }) },
        new Date(),
      ),
    )
    return EXIT.negative
  } finally {
    await service.close()
  }
}

/** The smoke report as a terminal table with a verdict line. */
export function renderSmoke(report: SmokeReport): string {
  const rows = [
    ['check', 'request', 'status', 'latency', 'attempts', 'result'],
    ...report.checks.map((c) => [
      c.name,
      c.request,
      c.status === null ? '-' : String(c.status),
      formatMs(c.latencyMs),
      String(c.attempts),
      c.passed ? 'passed' : oneLine(c.reason ?? 'failed', 100),
    ]),
  ]
  const failed = report.checks.filter((c) => !c.passed).length
  const verdict = report.passed
    ? `smoke passed: ${report.checks.length} checks on ${report.url} in ${formatMs(report.durationMs)}`
    : `smoke FAILED: ${failed} of ${report.checks.length} checks on ${report.url}`
  return `${table(rows)}\n\n${verdict}\n`
}
