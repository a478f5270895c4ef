import type { AssertionType } from '../contracts/assertion.js'
import { renderString } from '../prompts/value.js'
import * as z from '../utils/zod.js'
import { PAIRWISE } from './judge-prompts.js'
import {
  answerShape,
  askJudge,
  judgeError,
  judgeUsage,
  judgeVars,
  prepareJudge,
  renderJudgePrompt,
} from './judge.js'

const value = z.union([
  z.string().check(z.minLength(1)),
  z.strictObject({
    reference: z.string().check(z.minLength(1)),
    criteria: z.optional(z.string().check(z.minLength(1))),
  }),
])

const answer = answerShape(
  'pairwise_verdict',
  'Which of the two answers is better.',
  z.strictObject({ reason: z.string(), winner: z.enum(['A', 'B', 'tie']) }),
)

/** Pass when the output is at least as good as the reference: a win or a tie. */
const DEFAULT_THRESHOLD = 0.5

type Side = 'output' | 'reference' | 'tie'

/**
 * `pairwise`: a judge compares the output with a reference answer (e.g. the current version's),
 * twice, with the two in both orders to cancel position bias. Winning both is a win (score 1),
 * losing both a loss (0); a disagreement between the orders, or a tie, is a tie (0.5). Passes at
 * `threshold` (default 0.5: not worse than the reference).
 */
export const pairwise: AssertionType<z.output<typeof value>> = {
  type: 'pairwise',
  negatable: false,
  value,
  async prepare(given, spec, context) {
    const { judge, prompt } = await prepareJudge(spec, context, PAIRWISE)
    const reference = typeof given === 'string' ? given : given.reference
    const criteria = typeof given === 'string' ? '' : (given.criteria ?? '')
    const threshold = spec.threshold ?? DEFAULT_THRESHOLD
    return async (input) => {
      const ref = renderString(reference, input.vars)
      const ask = async (a: string, b: string) => {
        const messages = renderJudgePrompt(prompt, judgeVars(input, { a, b, criteria }))
        if (!Array.isArray(messages)) {
          return { ok: false as const, message: (messages as { error: string }).error, calls: [] }
        }
        return askJudge(judge, messages, answer)
      }
      const [first, second] = await Promise.all([ask(input.output, ref), ask(ref, input.output)])
      const usage = judgeUsage(judge, [...first.calls, ...second.calls], prompt.version)
      if (!first.ok) return judgeError(first.message, usage)
      if (!second.ok) return judgeError(second.message, usage)
      const one = sideOf(first.value.winner, 'A')
      const two = sideOf(second.value.winner, 'B')
      const outcome: Side = one === two ? one : 'tie'
      const score = outcome === 'output' ? 1 : outcome === 'reference' ? 0 : 0.5
      const said = `output first: ${one}; reference first: ${two}`
      return {
        pass: score >= threshold,
        score,
        reason: `${describe(outcome, one !== two)} (${said}): ${first.value.reason}`,
        judge: usage,
      }
    }
  },
}

/** Who won, given the letter the output was shown as. */
function sideOf(winner: 'A' | 'B' | 'tie', outputLetter: 'A' | 'B'): Side {
  if (winner === 'tie') return 'tie'
  return winner === outputLetter ? 'output' : 'reference'
}

function describe(outcome: Side, disagreed: boolean): string {
  if (disagreed) return 'tie: the verdict changed with the order'
  if (outcome === 'tie') return 'tie'
  return outcome === 'output' ? 'output is better than the reference' : 'reference is better'
}
