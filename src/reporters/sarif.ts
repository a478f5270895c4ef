import { isAbsolute } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ScanReport, SecretFinding } from '../contracts/scan.js'

/** Where the SARIF file says its tool is documented. */
const INFORMATION_URI = 'https://www.npmjs.com/package/shipgate'

/**
 * The findings as a SARIF 2.1.0 log for GitHub code scanning (`upload-sarif`): one run of
 * `shipgate-scan`, a rule per kind of secret with its `security-severity`, a result per finding
 * at its region, relative to `%SRCROOT%` (the checkout), with the shipgate fingerprint as a
 * partial fingerprint. Messages carry masked secrets only.
 */
export function renderSarif(report: ScanReport, version: string): string {
  const rules = [...new Map(report.findings.map((f) => [f.rule, f])).values()].sort((a, b) =>
    a.rule.localeCompare(b.rule),
  )
  const index = new Map(rules.map((f, i) => [f.rule, i]))
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'shipgate-scan',
            informationUri: INFORMATION_URI,
            version,
            rules: rules.map(sarifRule),
          },
        },
        results: report.findings.map((f) => sarifResult(f, index.get(f.rule) ?? 0)),
      },
    ],
  }
  return `${JSON.stringify(log, null, 2)}\n`
}

function sarifRule(f: SecretFinding): Record<string, unknown> {
  return {
    id: f.rule,
    name: f.rule.replace(/[^A-Za-z0-9]+/g, '-'),
    shortDescription: { text: `${f.title} committed to the repository` },
    fullDescription: {
      text: `${f.title} found in a file. Revoke it, then read it from an environment variable instead; if it is not a secret, add the finding's fingerprint to .gitleaksignore.`,
    },
    ...(f.helpUri === undefined ? {} : { helpUri: f.helpUri }),
    defaultConfiguration: { level: 'error' },
    properties: {
      'security-severity': f.severity,
      tags: ['security', 'secret'],
      precision: 'high',
    },
  }
}

function sarifResult(f: SecretFinding, ruleIndex: number): Record<string, unknown> {
  return {
    ruleId: f.rule,
    ruleIndex,
    level: 'error',
    message: { text: `${f.message} (fingerprint ${f.fingerprint})` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(f.file),
          region: {
            startLine: f.line,
            startColumn: f.column,
            endLine: f.endLine,
            endColumn: f.endColumn,
          },
        },
      },
    ],
    partialFingerprints: { 'shipgateFingerprint/v1': f.fingerprint },
  }
}

function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  if (isAbsolute(file)) return { uri: pathToFileURL(file).href }
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' }
}
