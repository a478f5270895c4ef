import type { AssertionType } from '../contracts/assertion.js'
import * as z from '../utils/zod.js'
import { G_EVAL } from './judge-prompts.js'
import {
  answerShape,
  askJudge,
  judgeError,
  judgeUsage,
  judgeVars,
  prepareJudge,
  renderJudgePrompt,
} from './judge.js'

/** The criteria of the seed's quality judge, used when an assertion names none. */
const DEFAULT_CRITERIA: Readonly<Record<string, string>> = {
  correctness: 'Is it factually correct?',
  completeness: 'Does it answer the full question?',
  clarity: 'Is it easy to understand?',
  relevance: 'Does it stay on topic?',
}

const criterionName = z
  .string()
  .check(z.regex(/^[a-z][a-z0-9_]*$/, 'criterion names are lower-case words (a-z, 0-9, _)'))

const value = z.optional(
  z.union([
    z.array(criterionName).check(z.minLength(1)),
    z.record(criterionName, z.string().check(z.minLength(1))),
  ]),
)

/** The default pass mark on the 1–10 scale. */
const DEFAULT_THRESHOLD = 7

const scored = z.strictObject({
  reason: z.string(),
  score: z.int().check(z.minimum(1), z.maximum(10)),
})

/**
 * `g-eval`: a judge reasons about each named criterion, then scores it and the output overall
 * from 1 to 10 (Liu et al. 2023, "G-Eval"). The check passes when the overall score reaches
 * `threshold` (default 7); its score is the overall mapped to 0–1, its value the 1–10 overall.
 */
export const gEval: AssertionType<z.output<typeof value>> = {
  type: 'g-eval',
  negatable: false,
  value,
  async prepare(given, spec, context) {
    const criteria = criteriaOf(given)
    const { judge, prompt } = await prepareJudge(spec, context, G_EVAL)
    const shape = answerShape(
      'criteria_scores',
      'A reason and a 1-10 score for each criterion and overall.',
      z.strictObject(
        Object.fromEntries([...criteria.map((c) => [c.name, scored]), ['overall', scored]]),
      ),
    )
    const threshold = spec.threshold ?? DEFAULT_THRESHOLD
    return async (input) => {
      const messages = renderJudgePrompt(prompt, judgeVars(input, { criteria }))
      if (!Array.isArray(messages)) return judgeError((messages as { error: string }).error)
      const result = await askJudge(judge, messages, shape)
      const usage = judgeUsage(judge, result.calls, prompt.version)
      if (!result.ok) return judgeError(result.message, usage)
      const scores = result.value as Record<string, z.output<typeof scored>>
      const overall = scores.overall as z.output<typeof scored>
      const parts = criteria.map((c) => `${c.name} ${scores[c.name]?.score ?? '?'}`).join(', ')
      return {
        pass: overall.score >= threshold,
        score: (overall.score - 1) / 9,
        value: overall.score,
        scale: { min: 1, max: 10 },
        reason: `overall ${overall.score}/10 (${parts}): ${overall.reason}`,
        judge: usage,
      }
    }
  },
}

function criteriaOf(given: z.output<typeof value>): { name: string; description: string }[] {
  const entries = Array.isArray(given)
    ? given.map((name) => [name, DEFAULT_CRITERIA[name] ?? name] as const)
    : Object.entries(given ?? DEFAULT_CRITERIA)
  return entries
    .filter(([name]) => name !== 'overall')
    .map(([name, description]) => ({ name, description }))
}
