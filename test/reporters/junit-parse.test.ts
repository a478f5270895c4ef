import { parse, type TestSuite, type TestSuites } from 'junit2json'
import { describe, expect, it } from 'vitest'
import { renderJunit } from '../../src/reporters/junit.js'
import { fixtureResults, HOSTILE } from './fixtures.js'

/** renderJunit's output as a JUnit consumer (junit2json, on xml2js) reads it. */
async function parsed(): Promise<TestSuites> {
  const out = await parse(renderJunit(fixtureResults()))
  if (out === null || out === undefined || !('testsuite' in out)) throw new Error('no testsuites')
  return out
}

describe('JUnit read by a JUnit consumer', () => {
  it('has the totals of the results', async () => {
    const doc = await parsed()
    expect(doc).toMatchObject({ name: 'shipgate', tests: 6, failures: 2, errors: 1, time: 42.5 })
  })

  it('has a testsuite per suite and a testcase per case, failures and errors where the results have them', async () => {
    const results = fixtureResults()
    const suites = (await parsed()).testsuite ?? []
    expect(suites.map((s) => s.name)).toEqual(results.suites.map((s) => s.name))
    for (const [i, suite] of results.suites.entries()) {
      const xml = suites[i] as TestSuite
      const failing = suite.cases.filter((c) => !c.pass)
      const errored = failing.filter((c) => c.samples.every((s) => s.error !== null))
      expect(xml).toMatchObject({
        tests: suite.cases.length,
        failures: failing.length - errored.length,
        errors: errored.length,
      })
      expect(xml.testcase?.map((c) => [c.classname, c.name])).toEqual(
        suite.cases.map((c) => [suite.name, c.id]),
      )
      const outcome = (xml.testcase ?? []).map((c) =>
        c.error ? 'error' : c.failure ? 'failure' : 'pass',
      )
      expect(outcome).toEqual(
        suite.cases.map((c) => (c.pass ? 'pass' : errored.includes(c) ? 'error' : 'failure')),
      )
      const props = new Map((xml.properties ?? []).map((p) => [p.name, p.value]))
      expect(Number(props.get('passRate'))).toBe(suite.stats.passRate.value)
      expect(props.get('prompt.version')).toBe(`${suite.name}@a1b2c3d4`)
    }
  })

  it('keeps hostile text as text: the parsed reason is the original', async () => {
    const review = (await parsed()).testsuite?.[0]
    const xss = review?.testcase?.find((c) => c.name === 'xss')
    expect(xss?.failure?.[0]?.message).toBe(
      `1/1 samples failed: icontains: output does not contain "XSS": ${HOSTILE}`,
    )
    expect(xss?.failure?.[0]?.inner).toContain(`output: review of xss`)
    const csrf = review?.testcase?.find((c) => c.name === 'csrf')
    expect(csrf?.error?.[0]).toMatchObject({ type: 'timeout' })
  })
})
