import { describe, expect, it } from 'vitest'
import type { ScanReport, SecretFinding } from '../../src/contracts/scan.js'
import { sarifCounts } from '../../src/core/gate/external.js'
import { renderSarif } from '../../src/reporters/sarif.js'
import { sarifErrors } from '../scan/sarif-schema.js'

function finding(file: string, rule: string, line: number, severity = '9.0'): SecretFinding {
  return {
    file,
    line,
    column: 5,
    endLine: line,
    endColumn: 45,
    rule,
    title: 'GitHub Token',
    message: 'found GitHub Token: ghp_…xy',
    masked: 'ghp_…xy',
    fingerprint: `${file}:${rule}:${line}`,
    severity,
    helpUri: 'https://github.com/secretlint/secretlint#GITHUB_TOKEN',
  }
}

function report(findings: SecretFinding[]): ScanReport {
  return {
    filesScanned: 3,
    findings,
    ignored: 0,
    baselined: 0,
    skipped: [],
    baseline: undefined,
    baselineUpdated: false,
  }
}

describe('renderSarif', () => {
  const findings = [
    finding('src/a b.ts', 'github/GITHUB_TOKEN', 3),
    finding('cassettes/x.jsonl', 'aws/AWSAccessKeyID', 1, '7.0'),
    finding('src/c.ts', 'github/GITHUB_TOKEN', 8),
  ]
  const log = JSON.parse(renderSarif(report(findings), '1.2.3')) as {
    $schema: string
    version: string
    runs: {
      tool: { driver: { name: string; version: string; rules: Record<string, unknown>[] } }
      results: Record<string, unknown>[]
    }[]
  }

  it('is valid SARIF 2.1.0 (the OASIS JSON schema)', () => {
    expect(sarifErrors(log)).toEqual([])
    expect(sarifErrors(JSON.parse(renderSarif(report([]), '1.2.3')))).toEqual([])
    expect(sarifErrors({ ...log, version: '2.0.0' })).not.toEqual([])
  })

  it('has what GitHub code scanning reads: rules with security-severity, regions, fingerprints', () => {
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json')
    const run = log.runs[0]!
    expect(run.tool.driver).toMatchObject({ name: 'shipgate-scan', version: '1.2.3' })
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual([
      'aws/AWSAccessKeyID',
      'github/GITHUB_TOKEN',
    ])
    expect(run.tool.driver.rules[0]).toMatchObject({
      properties: { 'security-severity': '7.0' },
      helpUri: expect.any(String) as unknown,
    })
    expect(run.results[0]).toEqual({
      ruleId: 'github/GITHUB_TOKEN',
      ruleIndex: 1,
      level: 'error',
      message: {
        text: 'found GitHub Token: ghp_…xy (fingerprint src/a b.ts:github/GITHUB_TOKEN:3)',
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'src/a%20b.ts', uriBaseId: '%SRCROOT%' },
            region: { startLine: 3, startColumn: 5, endLine: 3, endColumn: 45 },
          },
        },
      ],
      partialFingerprints: { 'shipgateFingerprint/v1': 'src/a b.ts:github/GITHUB_TOKEN:3' },
    })
  })

  it("is read by the gate's SARIF check: every finding an error, critical at 9.0", () => {
    expect(sarifCounts(renderSarif(report(findings), '1.2.3'))).toEqual({
      errors: 3,
      warnings: 0,
      notes: 0,
      critical: 2,
    })
  })
})
