import { resolve } from 'node:path'
import { Option } from '@commander-js/extra-typings'
import { writeFileAtomic } from '../../utils/files.js'
import { shipgateVersion } from '../../utils/package.js'
import { defineCommand } from '../define.js'
import { EXIT, json } from '../io.js'
import { jsonOption } from '../options.js'

/** `shipgate scan`: finds committed secrets; exit 1 when a finding is neither ignored nor baselined. */
export default defineCommand({
  meta: {
    name: 'scan',
    description:
      'find committed secrets (API keys, tokens, private keys) in tracked files, cassettes, prompts, cases and .shipgate/',
  },
  options: (command) =>
    command
      .argument('[paths...]', 'scan only these files and directories')
      .option('--staged', 'scan the staged content of staged files (a pre-commit hook)')
      .option('--sarif <file>', 'write the findings as SARIF 2.1.0 (GitHub code scanning)')
      .addOption(jsonOption('the report'))
      .option('--baseline <file>', 'accepted findings (default .shipgate-secrets-baseline.json)')
      .addOption(
        new Option(
          '--update-baseline',
          'accept the current findings: write them to the baseline',
        ).conflicts('staged'),
      ),
  async run({ args: [paths], flags, io }) {
    const logger = io.logger.child('scan')
    const { scanSecrets } = await import('../../workflows/scan/index.js')
    const report = await scanSecrets({
      cwd: io.cwd,
      env: io.env,
      paths,
      staged: flags.staged === true,
      baseline: flags.baseline,
      updateBaseline: flags.updateBaseline === true,
      logger,
    })
    if (flags.sarif !== undefined) {
      const { renderSarif } = await import('../../reporters/sarif.js')
      await writeFileAtomic(resolve(io.cwd, flags.sarif), renderSarif(report, shipgateVersion()))
    }
    for (const skipped of report.skipped) {
      if (skipped.reason !== 'binary') logger.warn(`skipped ${skipped.file}: ${skipped.reason}`)
    }
    const { renderScan } = await import('../../reporters/scan.js')
    io.stdout(flags.json === true ? json(report) : renderScan(report))
    if (report.findings.length === 0) return EXIT.ok
    logger.info(
      'revoke real secrets; to accept a finding, add its fingerprint to .gitleaksignore, or accept all current ones with `shipgate scan --update-baseline`',
    )
    return EXIT.negative
  },
})
