import type { AssertionType } from '../contracts/assertion.js'
import { renderString } from '../prompts/value.js'
import * as z from '../utils/zod.js'
import { LLM_RUBRIC } from './judge-prompts.js'
import {
  answerShape,
  askJudge,
  judgeError,
  judgeUsage,
  judgeVars,
  prepareJudge,
  renderJudgePrompt,
} from './judge.js'

const answer = answerShape(
  'rubric_grade',
  'Whether the output meets the rubric, with a score from 0 to 1.',
  z.strictObject({
    reason: z.string(),
    pass: z.boolean(),
    score: z.number().check(z.minimum(0), z.maximum(1)),
  }),
)

/**
 * `llm-rubric`: a judge grades the output against a rubric (templated with the case's vars).
 * Passes when the judge says so and, with a `threshold`, its score reaches it.
 */
export const llmRubric: AssertionType<string> = {
  type: 'llm-rubric',
  negatable: true,
  value: z.string().check(z.minLength(1)),
  async prepare(rubric, spec, context) {
    const { judge, prompt } = await prepareJudge(spec, context, LLM_RUBRIC)
    return async (input) => {
      const messages = renderJudgePrompt(
        prompt,
        judgeVars(input, { rubric: renderString(rubric, input.vars) }),
      )
      if (!Array.isArray(messages)) return judgeError((messages as { error: string }).error)
      const result = await askJudge(judge, messages, answer)
      const usage = judgeUsage(judge, result.calls, prompt.version)
      if (!result.ok) return judgeError(result.message, usage)
      const { pass, score, reason } = result.value
      const passed = pass && (spec.threshold === undefined || score >= spec.threshold)
      return { pass: passed, score, reason, judge: usage }
    }
  },
}
