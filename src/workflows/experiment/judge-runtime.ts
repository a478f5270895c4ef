/**
 * The `llm-rubric` check outside an eval run: the config's `judge:` as an analysis opens it
 * (`openOfflineJudge`: the runner's timeouts and retries, cassettes, the price table), and the
 * assertion's own prompt and answer parsing, so a sample is graded exactly as a case would be.
 */
import { llmRubric } from '../../assertions/llm-rubric.js'
import type { Check } from '../../contracts/assertion.js'
import type { LoadedConfig } from '../../config/load.js'
import { openOfflineJudge, type OfflineJudgeOptions } from '../eval/index.js'

/** A rubric check ready to grade, and what to release after. */
export interface RubricJudge {
  /** `type:model` of the judge. */
  readonly id: string
  readonly check: Check
  close(): Promise<void>
}

/**
 * Prepares `llm-rubric` with `rubric` against the config's judge. Throws the assertion's config
 * error when the config has no `judge:` or names an unknown provider.
 */
export async function openRubricJudge(
  loaded: LoadedConfig,
  rubric: string,
  options: OfflineJudgeOptions,
): Promise<RubricJudge> {
  const offline = openOfflineJudge(loaded, options)
  const check = await llmRubric.prepare(
    rubric,
    { type: 'llm-rubric', value: rubric },
    offline.context,
  )
  const judge = await offline.context.judge('chat')
  await offline.start()
  return { id: judge.id, check, close: () => offline.close() }
}
