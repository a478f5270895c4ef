/**
 * Grading outside a run, for test frameworks (`shipgate/vitest`): an output against one
 * assertion, or against a suite's case with all of its assertions, prepared and combined as
 * eval does, with the project's judge and cassettes — so that replay makes judged tests free
 * and offline in CI.
 */
import type { Clock } from '../../contracts/clock.js'
import type { Logger } from '../../contracts/logger.js'
import { openOfflineJudge, type CassetteChoice } from '../eval/index.js'
import { loadProjectConfig, stageRedactor, type ConfigChoice } from '../project/index.js'
import { Grader } from './grader.js'

export { Grader, type CheckOptions } from './grader.js'
export type { CaseAssertion, SuiteCase, SuiteCasesOptions } from './cases.js'
export { isGradedOutput, type GradedOutput } from './input.js'
export type { ConfigInput } from '../../config/schema.js'
export type { SampleVerdict } from '../../core/eval/grade.js'

/** Options of {@link openGrader}: where the config is, and the cassettes over its own. */
export interface GraderOptions extends ConfigChoice {
  readonly logger: Logger
  /** Cassette mode and directory over the config's `cassettes:` block. */
  readonly cassettes?: CassetteChoice
  readonly clock?: Clock
}

/**
 * Loads the project's config and returns its grader; nothing is called until a check needs a
 * judge. Config problems throw a ConfigError.
 */
export async function openGrader(options: GraderOptions): Promise<Grader> {
  const loaded = await loadProjectConfig(options)
  const judge = openOfflineJudge(loaded, {
    env: options.env,
    logger: options.logger,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.cassettes === undefined ? {} : { cassettes: options.cassettes }),
  })
  return new Grader(loaded, judge, stageRedactor(loaded, options))
}
