import type { AssertionContext, AssertionSpec, Check, Grade } from '../../contracts/assertion.js'
import type { ToolSpec } from '../../contracts/provider.js'
import type { AssertionGrade } from '../../contracts/results.js'
import type { AssertionConfig } from '../../config/schema.js'
import type { LoadedConfig } from '../../config/load.js'
import { gradeSample, type SampleVerdict } from '../../core/eval/grade.js'
import type { PlannedCase } from '../../core/eval/plan.js'
import { ConfigError, usageError, type ConfigIssue } from '../../errors.js'
import { errorMessage } from '../../utils/errors.js'
import type { Redactor } from '../../utils/redact.js'
import { prepareChecks, type OfflineJudge } from '../eval/index.js'
import { parseAssertion } from './assertion.js'
import { planSuiteCases, type SuiteCase, type SuiteCasesOptions } from './cases.js'
import { inputOf } from './input.js'

/** Options of {@link Grader.check}. */
export interface CheckOptions {
  /** The tools the system declares, for `tool-calls-valid` (default: none). */
  readonly tools?: readonly ToolSpec[]
}

/**
 * Grades outputs outside a run, with a project's config: its judge, judge prompts and cassettes.
 * Judges open on first use; `close` writes pending recordings and closes them.
 */
export class Grader {
  private readonly planned = new WeakMap<SuiteCase, PlannedCase>()
  // Judges open one batch at a time: two checks prepared together must not open one twice.
  private opening: Promise<void> = Promise.resolve()
  private closed = false

  constructor(
    private readonly loaded: LoadedConfig,
    private readonly judge: OfflineJudge,
    private readonly redactor: Redactor,
  ) {}

  /**
   * Grades `output` (a string, a JSON value, or `{ output, toolCalls, vars, … }`) with one
   * assertion, prepared as eval prepares a config's (its `file://` values resolve against the
   * config's directory). A check that throws, or a judge that could
   * not decide, is a grade with `error: true`. An invalid assertion throws a usage or config
   * error.
   */
  async check(
    output: unknown,
    spec: AssertionSpec,
    options: CheckOptions = {},
  ): Promise<AssertionGrade> {
    this.open()
    const assertion = parseAssertion(spec)
    const context =
      options.tools === undefined
        ? this.judge.context
        : this.judge.judges.context(this.loaded.dir, {}, options.tools)
    const check = await this.prepare(assertion, context)
    const input = inputOf(output, { vars: {}, prompt: [] })
    await this.start()
    const grade = await run(check, input)
    return this.redacted({
      type: assertion.type,
      weight: assertion.weight,
      ...(assertion.metric === undefined ? {} : { metric: assertion.metric }),
      ...grade,
    })
  }

  /** A suite's cases as eval plans them (see {@link SuiteCase}). */
  async suiteCases(suite: string, options: SuiteCasesOptions = {}): Promise<SuiteCase[]> {
    this.open()
    const planned = await planSuiteCases(this.loaded, this.judge.judges, suite, options)
    for (const [kase, plannedCase] of planned) this.planned.set(kase, plannedCase)
    return planned.map(([kase]) => kase)
  }

  /**
   * Grades `output` with every assertion of a case from {@link suiteCases}, combined as eval
   * combines a sample's (weights, the case's threshold; a check that could not decide fails).
   * The case's vars and rendered prompt are what the checks see unless `output` gives its own.
   */
  async gradeCase(kase: SuiteCase, output: unknown): Promise<SampleVerdict> {
    this.open()
    const planned = this.planned.get(kase)
    if (planned === undefined) {
      throw usageError(
        `case "${String((kase as Partial<SuiteCase> | null)?.id)}" was not planned by this grader`,
        'grade the cases suiteCases() returned, as they are (not copies)',
      )
    }
    const input = inputOf(output, { vars: kase.vars, prompt: kase.prompt })
    await this.start()
    const verdict = await gradeSample(planned, input)
    return { ...verdict, grades: verdict.grades.map((g) => this.redacted(g)) }
  }

  /** Writes pending recordings and closes the judges; the grader is unusable afterwards. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.opening.catch(() => undefined)
    await this.judge.close()
  }

  /** Prepares an assertion as eval prepares a config's; a problem throws a ConfigError. */
  private async prepare(assertion: AssertionConfig, context: AssertionContext): Promise<Check> {
    const location = { file: '<assertion in code>', path: assertion.type }
    const located = Object.assign({}, assertion, { location, baseDir: this.loaded.dir })
    const issues: ConfigIssue[] = []
    const [planned] = await prepareChecks([located], issues, () => context)
    if (planned === undefined) throw new ConfigError(issues)
    return planned.check
  }

  private open(): void {
    if (this.closed) throw usageError('the grader is closed', 'open a new one')
  }

  private start(): Promise<void> {
    this.opening = this.opening.then(() => this.judge.start())
    return this.opening
  }

  private redacted(grade: AssertionGrade): AssertionGrade {
    const reason = this.redactor.text(grade.reason)
    return reason === grade.reason ? grade : { ...grade, reason }
  }
}

/** Runs a check; a throw is a grade that could not decide (it never passes, negated or not). */
async function run(check: Check, input: Parameters<Check>[0]): Promise<Grade> {
  try {
    return await check(input)
  } catch (error) {
    return { pass: false, score: 0, reason: `assertion error: ${errorMessage(error)}`, error: true }
  }
}
