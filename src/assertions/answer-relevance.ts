import type { AssertionType, JudgeUsage } from '../contracts/assertion.js'
import { addUsage } from '../contracts/usage.js'
import { renderString } from '../prompts/value.js'
import * as z from '../utils/zod.js'
import { ANSWER_RELEVANCE } from './judge-prompts.js'
import {
  answerShape,
  askJudge,
  cosine,
  judgeError,
  judgeUsage,
  judgeVars,
  prepareJudge,
  renderJudgePrompt,
} from './judge.js'

/** Questions the judge writes from the answer. */
const QUESTIONS = 3

/** RAGAS uses no fixed pass mark; promptfoo's default is 0.7. */
const DEFAULT_THRESHOLD = 0.7

const answer = answerShape(
  'answered_questions',
  'Questions the answer would directly answer.',
  z.strictObject({
    questions: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
  }),
)

/**
 * `answer-relevance` (RAGAS): a judge writes the questions the output answers; the score is the
 * mean cosine similarity of their embeddings to the question asked (the last user message, or
 * `value`, templated with the case's vars). Passes at `threshold` (default 0.7). Needs a judge
 * and an embeddings provider.
 */
export const answerRelevance: AssertionType<string | undefined> = {
  type: 'answer-relevance',
  negatable: false,
  value: z.optional(z.string().check(z.minLength(1))),
  async prepare(question, spec, context) {
    const { judge, prompt } = await prepareJudge(spec, context, ANSWER_RELEVANCE)
    const embedder = await context.judge('embeddings', spec.provider)
    const threshold = spec.threshold ?? DEFAULT_THRESHOLD
    return async (input) => {
      const vars = judgeVars(input, { count: QUESTIONS })
      const asked =
        question === undefined ? (vars.input as string) : renderString(question, input.vars)
      const messages = renderJudgePrompt(prompt, vars)
      if (!Array.isArray(messages)) return judgeError((messages as { error: string }).error)
      const written = await askJudge(judge, messages, answer)
      const chatUsage = judgeUsage(judge, written.calls, prompt.version)
      if (!written.ok) return judgeError(written.message, chatUsage)
      const questions = written.value.questions
      const embedded = await embedder.embed([asked, ...questions])
      const usage = merge(chatUsage, judgeUsage(embedder, embedded.calls))
      if (!embedded.ok) return judgeError(embedded.message, usage)
      const [target, ...others] = embedded.value
      if (target === undefined || others.length !== questions.length) {
        return judgeError(
          `asked for ${questions.length + 1} embeddings, got ${embedded.value.length}`,
          usage,
        )
      }
      const score = others.reduce((s, v) => s + cosine(target, v), 0) / others.length
      return {
        pass: score >= threshold,
        score: Math.max(0, score),
        value: score,
        scale: { min: -1, max: 1 },
        reason: `mean similarity ${score.toFixed(3)} of ${questions.length} questions the output answers to the question asked (threshold ${threshold})`,
        judge: usage,
      }
    }
  },
}

function merge(a: JudgeUsage, b: JudgeUsage): JudgeUsage {
  const usage = a.usage === null ? b.usage : b.usage === null ? a.usage : addUsage(a.usage, b.usage)
  return {
    provider: a.provider === b.provider ? a.provider : `${a.provider} + ${b.provider}`,
    calls: a.calls + b.calls,
    usage,
    costUsd: a.costUsd === null || b.costUsd === null ? null : a.costUsd + b.costUsd,
    latencyMs: a.latencyMs + b.latencyMs,
    cached: a.cached && b.cached,
    ...(a.promptVersion === undefined ? {} : { promptVersion: a.promptVersion }),
  }
}
