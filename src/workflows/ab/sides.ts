/**
 * What `shipgate ab` compares, paired by `suite/case`: two runs (A's and B's), or two variants
 * of the suites of one run (`suite[variant]`). Problems with the choice are usage errors that
 * say what the run has.
 */
import type { AbSide } from '../../contracts/ab.js'
import type { CaseResult, ResultsDocument, SuiteResult } from '../../contracts/results.js'
import type { Store } from '../../contracts/store.js'
import { usageError } from '../../errors.js'
import { resultsOf } from '../results/index.js'

/** One case both sides ran. */
export interface ComparedCase {
  /** `suite/case`. */
  readonly id: string
  /** The suite's name (its configured name for variants). */
  readonly suite: string
  readonly a: CaseResult
  readonly b: CaseResult
}

/** The two sides, their cases paired, and the cases only one of them has. */
export interface Comparison {
  readonly a: AbSide
  readonly b: AbSide
  /** The suites compared (configured names for variants). */
  readonly suites: readonly string[]
  readonly cases: readonly ComparedCase[]
  readonly onlyA: readonly string[]
  readonly onlyB: readonly string[]
}

/** B's run against A's: every suite both have (or `suite`, by name or configured name). */
export async function twoRuns(
  a: string,
  b: string,
  where: { store: Store; cwd: string; suite?: string | undefined },
): Promise<Comparison> {
  const [runA, runB] = [
    await resultsOf(a, where.store, where.cwd),
    await resultsOf(b, where.store, where.cwd),
  ]
  const keep = (s: SuiteResult) =>
    where.suite === undefined || s.name === where.suite || s.variant?.suite === where.suite
  const paired = pair(casesOf(runA.suites.filter(keep)), casesOf(runB.suites.filter(keep)))
  if (paired.cases.length === 0) {
    throw usageError(
      `${a} and ${b} have no case in common${where.suite === undefined ? '' : ` in suite ${where.suite}`}`,
      'compare two runs of the same suites, e.g. the same suite run with two prompt versions',
    )
  }
  return {
    a: { run: runA.run.id, ref: a },
    b: { run: runB.run.id, ref: b },
    suites: suitesOf(paired.cases),
    ...paired,
  }
}

/** Variant B against variant A within one run, over the suites that ran both (or `suite`). */
export async function variantsOfRun(
  a: string,
  b: string,
  where: { store: Store; cwd: string; run: string; suite?: string | undefined },
): Promise<Comparison> {
  const results = await resultsOf(where.run, where.store, where.cwd)
  const id = results.run.id
  const bySuite = variantSuites(results)
  if (bySuite.size === 0) {
    throw usageError(
      `run ${id} has no variants: each of its suites ran one prompt and provider`,
      'add `variants:` or `matrix:` to a suite and run it with shipgate eval (docs/ab.md), or compare two runs: shipgate ab RUN_A RUN_B',
    )
  }
  const chosen = chooseSuites(bySuite, where.suite, id)
  for (const v of [a, b]) {
    if (![...chosen.values()].some((variants) => variants.has(v))) {
      throw usageError(`run ${id} has no variant ${v}`, `its variants: ${listVariants(chosen)}`)
    }
  }
  const both = [...chosen].filter(([, variants]) => variants.has(a) && variants.has(b))
  if (both.length === 0) {
    throw usageError(
      `no suite of run ${id} ran both variants ${a} and ${b}`,
      `its variants: ${listVariants(chosen)}`,
    )
  }
  const side = (v: string) =>
    casesOf(
      both.map(([, variants]) => variants.get(v)!),
      true,
    )
  const paired = pair(side(a), side(b))
  if (paired.cases.length === 0) {
    throw usageError(
      `variants ${a} and ${b} of run ${id} have no case in common`,
      'the variants of a suite run the same cases: check that both finished (shipgate runs show)',
    )
  }
  return {
    a: { run: id, ref: where.run, variant: a },
    b: { run: id, ref: where.run, variant: b },
    suites: both.map(([suite]) => suite),
    ...paired,
  }
}

/** The run's variant suites: configured suite → variant name → its results. */
function variantSuites(results: ResultsDocument): Map<string, Map<string, SuiteResult>> {
  const bySuite = new Map<string, Map<string, SuiteResult>>()
  for (const s of results.suites) {
    if (s.variant === undefined) continue
    let variants = bySuite.get(s.variant.suite)
    if (variants === undefined)
      bySuite.set(s.variant.suite, (variants = new Map<string, SuiteResult>()))
    variants.set(s.variant.name, s)
  }
  return bySuite
}

function chooseSuites(
  bySuite: Map<string, Map<string, SuiteResult>>,
  suite: string | undefined,
  run: string,
): Map<string, Map<string, SuiteResult>> {
  if (suite === undefined) return bySuite
  const variants = bySuite.get(suite)
  if (variants === undefined) {
    throw usageError(
      `suite ${suite} of run ${run} has no variants`,
      `suites with variants: ${[...bySuite.keys()].join(', ')}`,
    )
  }
  return new Map([[suite, variants]])
}

function listVariants(bySuite: Map<string, Map<string, SuiteResult>>): string {
  return [...bySuite]
    .map(([suite, variants]) => `${[...variants.keys()].join(', ')} (suite ${suite})`)
    .join('; ')
}

/**
 * Cases by `suite/case`, the suite's configured name when `configured` (so variants pair).
 * Cases without a sample (an interrupted run) are left out: there is nothing to compare.
 */
function casesOf(suites: readonly SuiteResult[], configured = false): Map<string, Keyed> {
  const cases = new Map<string, Keyed>()
  for (const s of suites) {
    const suite = configured ? (s.variant?.suite ?? s.name) : s.name
    for (const c of s.cases) if (c.samples.length > 0) cases.set(`${suite}/${c.id}`, { suite, c })
  }
  return cases
}

interface Keyed {
  readonly suite: string
  readonly c: CaseResult
}

function pair(byA: Map<string, Keyed>, byB: Map<string, Keyed>) {
  const cases: ComparedCase[] = []
  for (const [id, a] of byA) {
    const b = byB.get(id)
    if (b !== undefined) cases.push({ id, suite: a.suite, a: a.c, b: b.c })
  }
  return {
    cases,
    onlyA: [...byA.keys()].filter((id) => !byB.has(id)),
    onlyB: [...byB.keys()].filter((id) => !byA.has(id)),
  }
}

function suitesOf(cases: readonly ComparedCase[]): string[] {
  return [...new Set(cases.map((c) => c.suite))]
}
