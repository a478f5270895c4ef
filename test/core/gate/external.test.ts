import { describe, expect, it } from 'vitest'
import {
  coverageCheck,
  lineCoverage,
  sarifCheck,
  sarifCounts,
} from '../../../src/core/gate/external.js'

const LCOV = `TN:
SF:src/a.ts
DA:1,1
LF:10
LH:8
end_of_record
SF:src/b.ts
LF:30
LH:21
end_of_record
`

const COBERTURA = `<?xml version="1.0" ?>
<!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd">
<coverage lines-valid="200" lines-covered="171" line-rate="0.855" branch-rate="0.5" version="1.9" timestamp="1">
  <packages><package name="a" line-rate="0.1"/></packages>
</coverage>`

const ISTANBUL = JSON.stringify({
  total: { lines: { total: 400, covered: 300, skipped: 0, pct: 75 } },
})

function sarif(results: object[], rules: object[] = []): string {
  return JSON.stringify({
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'semgrep', rules } }, results }],
  })
}

describe('line coverage', () => {
  it('reads lcov (summing LF/LH), Cobertura (line-rate of the root) and istanbul summaries', () => {
    expect(lineCoverage(LCOV)).toBeCloseTo((29 / 40) * 100, 12)
    expect(lineCoverage(COBERTURA)).toBeCloseTo(85.5, 12)
    expect(lineCoverage(ISTANBUL)).toBe(75)
  })

  it('says what is wrong with a file that is none of them', () => {
    expect(() => lineCoverage('hello')).toThrow('not an lcov report (no LF: records)')
    expect(() => lineCoverage('<html></html>')).toThrow('not a Cobertura report')
    expect(() => lineCoverage('{"total":{}}')).toThrow('not an istanbul coverage summary')
  })

  it('passes at the minimum, fails below it or when the report is missing', () => {
    expect(coverageCheck('lcov.info', LCOV, 72.5)).toMatchObject({
      status: 'passed',
      message: 'line coverage 72.5% ≥ min 72.5% (lcov.info)',
    })
    expect(coverageCheck('c.xml', COBERTURA, 90)).toMatchObject({
      status: 'failed',
      approval: 'coverage',
      message: 'line coverage 85.5% < min 90% (c.xml)',
    })
    expect(coverageCheck('x.info', new Error('ENOENT'), 80)).toMatchObject({
      status: 'failed',
      actual: null,
      message: 'cannot read x.info: ENOENT',
    })
  })
})

describe('SARIF findings', () => {
  const log = sarif(
    [
      { ruleId: 'sqli', level: 'error' },
      { ruleId: 'xss', level: 'error' },
      { ruleId: 'style' },
      { ruleId: 'todo', level: 'note' },
      { ruleId: 'other', level: 'warning', properties: { 'security-severity': '9.8' } },
    ],
    [
      { id: 'sqli', properties: { 'security-severity': '9.1' } },
      { id: 'xss', properties: { 'security-severity': '6.1' } },
    ],
  )

  it('counts results by level (warning by default) and critical by security-severity ≥ 9', () => {
    expect(sarifCounts(log)).toEqual({ errors: 2, warnings: 2, notes: 1, critical: 2 })
  })

  it('checks the configured limits, and at most 0 errors when none is set', () => {
    expect(sarifCheck({ file: 's.sarif', maxCritical: 0 }, log)).toMatchObject({
      status: 'failed',
      message: '2 errors, 2 warnings, 2 critical (s.sarif): 2 critical > max 0',
    })
    expect(sarifCheck({ file: 's.sarif', maxErrors: 2, maxWarnings: 5 }, log).status).toBe('passed')
    expect(sarifCheck({ file: 'lint.sarif', name: 'lint' }, sarif([]))).toMatchObject({
      id: 'sarif.lint',
      name: 'lint',
      status: 'passed',
    })
    expect(sarifCheck({ file: 'e.sarif' }, log).status).toBe('failed')
    expect(sarifCheck({ file: 'bad.sarif' }, '{"runs": 3}')).toMatchObject({
      status: 'failed',
      message: 'cannot read bad.sarif: not a SARIF log (no runs)',
    })
  })
})
