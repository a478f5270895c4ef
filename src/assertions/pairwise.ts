import type {
  AssertionContext,
  AssertionSpec,
  AssertionType,
  JudgeCallRecord,
} from '../contracts/assertion.js'
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
  type PreparedJudge,
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

/**
 * `pairwise`: a judge compares the output with a reference answer (e.g. the current version's),
 * twice, with the two in both orders to cancel position bias ({@link judgePair}). Winning both
 * is a win (score 1), losing both a loss (0); a disagreement between the orders, or a tie, is a
 * tie (0.5). Passes at `threshold` (default 0.5: not worse than the reference).
 */
export const pairwise: AssertionType<z.output<typeof value>> = {
  type: 'pairwise',
  negatable: false,
  value,
  async prepare(given, spec, context) {
    const prepared = await preparePairwiseJudge(spec, context)
    const reference = typeof given === 'string' ? given : given.reference
    const criteria = typeof given === 'string' ? '' : (given.criteria ?? '')
    const threshold = spec.threshold ?? DEFAULT_THRESHOLD
    return async (input) => {
      const ref = renderString(reference, input.vars)
      const verdict = await judgePair(prepared, judgeVars(input, { criteria }), input.output, ref)
      const usage = judgeUsage(prepared.judge, verdict.calls, prepared.prompt.version)
      if (!verdict.ok) return judgeError(verdict.message, usage)
      const score = verdict.winner === 'first' ? 1 : verdict.winner === 'second' ? 0 : 0.5
      const said = `output first: ${NAMES[verdict.firstShownFirst]}; reference first: ${NAMES[verdict.secondShownFirst]}`
      return {
        pass: score >= threshold,
        score,
        reason: `${describe(verdict)} (${said}): ${verdict.reason}`,
        judge: usage,
      }
    }
  },
}

/** Which of two answers a pairwise judgement favours: the first given, the second, or neither. */
export type PairSide = 'first' | 'second' | 'tie'

/** A pairwise judgement asked in both orders, or why the judge could not give one. */
export type PairVerdict =
  | {
      readonly ok: true
      /** The side both orders agreed on; `tie` when they disagreed or the judge said tie. */
      readonly winner: PairSide
      /** The verdict with the first answer shown as A. */
      readonly firstShownFirst: PairSide
      /** The verdict with the second answer shown as A. */
      readonly secondShownFirst: PairSide
      /** The judge's reason in the first order. */
      readonly reason: string
      readonly calls: readonly JudgeCallRecord[]
    }
  | { readonly ok: false; readonly message: string; readonly calls: readonly JudgeCallRecord[] }

/** The pairwise judge and prompt: the spec's or config's judge, the config's or built-in prompt. */
export function preparePairwiseJudge(
  spec: AssertionSpec,
  context: AssertionContext,
): Promise<PreparedJudge> {
  return prepareJudge(spec, context, PAIRWISE)
}

/**
 * Asks the pairwise judge which of `first` and `second` is better, in both orders at once (first
 * shown as A, then as B) to cancel position bias; both orders must agree for a winner. `vars`
 * are the prompt's other variables (`input`, `vars`, `criteria`); `a` and `b` are set here.
 * A failed call, or an answer malformed twice, is a value with the first such message.
 */
export async function judgePair(
  { judge, prompt }: PreparedJudge,
  vars: Readonly<Record<string, unknown>>,
  first: string,
  second: string,
): Promise<PairVerdict> {
  const ask = async (a: string, b: string) => {
    const messages = renderJudgePrompt(prompt, { ...vars, a, b })
    if (!Array.isArray(messages)) {
      return { ok: false as const, message: (messages as { error: string }).error, calls: [] }
    }
    return askJudge(judge, messages, answer)
  }
  const [one, two] = await Promise.all([ask(first, second), ask(second, first)])
  const calls = [...one.calls, ...two.calls]
  if (!one.ok) return { ok: false, message: one.message, calls }
  if (!two.ok) return { ok: false, message: two.message, calls }
  const firstShownFirst = sideOf(one.value.winner, 'A')
  const secondShownFirst = sideOf(two.value.winner, 'B')
  const winner = firstShownFirst === secondShownFirst ? firstShownFirst : 'tie'
  return { ok: true, winner, firstShownFirst, secondShownFirst, reason: one.value.reason, calls }
}

/** Who won, given the letter the first answer was shown as. */
function sideOf(winner: 'A' | 'B' | 'tie', firstLetter: 'A' | 'B'): PairSide {
  if (winner === 'tie') return 'tie'
  return winner === firstLetter ? 'first' : 'second'
}

/** The sides as the assertion names them: the output first, the reference second. */
const NAMES = { first: 'output', second: 'reference', tie: 'tie' } as const

function describe(verdict: Extract<PairVerdict, { ok: true }>): string {
  if (verdict.firstShownFirst !== verdict.secondShownFirst)
    return 'tie: the verdict changed with the order'
  if (verdict.winner === 'tie') return 'tie'
  return verdict.winner === 'first' ? 'output is better than the reference' : 'reference is better'
}
