import { resolve } from 'node:path'
import { scanSecrets } from '../../workflows/scan/index.js'
import { usageError } from '../../errors.js'
import { renderSarif } from '../../scan/sarif.js'
import { renderScan } from '../../scan/terminal.js'
import { writeFileAtomic } from '../../utils/files.js'
import { shipgateVersion } from '../../utils/package.js'
import { EXIT, type CommandIO } from '../io.js'
import type { ScanFlags } from '../program.js'

/** `shipgate scan`: finds committed secrets; exit 1 when a finding is neither ignored nor baselined. */
export async function runScanCommand(
  paths: readonly string[],
  flags: ScanFlags,
  io: CommandIO,
): Promise<number> {
  if (flags.staged === true && flags.updateBaseline === true) {
    throw usageError(
      'give --staged or --update-baseline, not both',
      'write the baseline from the working tree: shipgate scan --update-baseline',
    )
  }
  const logger = io.logger.child('scan')
  const report = await scanSecrets({
    cwd: io.cwd,
    env: io.env,
    paths,
    staged: flags.staged === true,
    ...(flags.baseline === undefined ? {} : { baseline: flags.baseline }),
    updateBaseline: flags.updateBaseline === true,
    logger,
  })
  if (flags.sarif !== undefined) {
    await writeFileAtomic(resolve(io.cwd, flags.sarif), renderSarif(report, shipgateVersion()))
  }
  for (const skipped of report.skipped) {
    if (skipped.reason !== 'binary') logger.warn(`skipped ${skipped.file}: ${skipped.reason}`)
  }
  io.stdout(flags.json === true ? `${JSON.stringify(report, null, 2)}\n` : renderScan(report))
  if (report.findings.length === 0) return EXIT.ok
  logger.info(
    'revoke real secrets; to accept a finding, add its fingerprint to .gitleaksignore, or accept all current ones with `shipgate scan --update-baseline`',
  )
  return EXIT.negative
}
