import type { AssertionType } from '../contracts/assertion.js'
import { renderString } from '../prompts/value.js'
import { cosine, judgeError, judgeUsage, references } from './judge.js'

/** promptfoo's default: cosine similarity of at least 0.75. */
const DEFAULT_THRESHOLD = 0.75

/**
 * `similar`: the cosine similarity of the output's embedding and a reference's (the best of a
 * list) reaches `threshold` (default 0.75). Needs a provider with an embeddings endpoint.
 */
export const similar: AssertionType<string | string[]> = {
  type: 'similar',
  negatable: true,
  value: references,
  async prepare(value, spec, context) {
    const judge = await context.judge('embeddings', spec.provider)
    const refs = typeof value === 'string' ? [value] : value
    const threshold = spec.threshold ?? DEFAULT_THRESHOLD
    return async (input) => {
      const texts = [input.output, ...refs.map((r) => renderString(r, input.vars))]
      const result = await judge.embed(texts)
      const usage = judgeUsage(judge, result.calls)
      if (!result.ok) return judgeError(result.message, usage)
      const [output, ...others] = result.value
      if (output === undefined || others.length !== refs.length) {
        return judgeError(`asked for ${texts.length} embeddings, got ${result.value.length}`, usage)
      }
      const best = Math.max(...others.map((v) => cosine(output, v)))
      return {
        pass: best >= threshold,
        score: Math.max(0, best),
        value: best,
        scale: { min: -1, max: 1 },
        reason: `cosine similarity ${best.toFixed(3)} to the ${refs.length > 1 ? 'closest reference' : 'reference'} (threshold ${threshold})`,
        judge: usage,
      }
    }
  },
}
