import type { AssertionType } from '../contracts/assertion.js'
import { renderString } from '../prompts/value.js'
import * as z from '../utils/zod.js'
import { FACTUALITY } from './judge-prompts.js'
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
  'factuality',
  'How the submission agrees with the expert answer, as a category from A to E.',
  z.strictObject({ reason: z.string(), category: z.enum(['A', 'B', 'C', 'D', 'E']) }),
)

const MEANING = {
  A: 'a consistent subset of the reference',
  B: 'a consistent superset of the reference',
  C: 'the same details as the reference',
  D: 'in disagreement with the reference',
  E: 'different from the reference in ways that do not matter for factuality',
} as const

/**
 * `factuality`: a judge compares the output's facts with a reference answer (the categories of
 * OpenAI evals' `fact`, as promptfoo uses them). Every category but D (a disagreement) passes.
 */
export const factuality: AssertionType<string> = {
  type: 'factuality',
  negatable: false,
  value: z.string().check(z.minLength(1)),
  async prepare(reference, spec, context) {
    const { judge, prompt } = await prepareJudge(spec, context, FACTUALITY)
    return async (input) => {
      const vars = judgeVars(input, { reference: renderString(reference, input.vars) })
      const messages = renderJudgePrompt(prompt, vars)
      if (!Array.isArray(messages)) return judgeError((messages as { error: string }).error)
      const result = await askJudge(judge, messages, answer)
      const usage = judgeUsage(judge, result.calls, prompt.version)
      if (!result.ok) return judgeError(result.message, usage)
      const { category, reason } = result.value
      const pass = category !== 'D'
      return {
        pass,
        score: pass ? 1 : 0,
        reason: `(${category}) output is ${MEANING[category]}: ${reason}`,
        judge: usage,
      }
    }
  },
}
