import type { AssertionType, Check } from '../contracts/assertion.js'
import { levenshtein as distance } from '../utils/levenshtein.js'
import * as z from '../utils/zod.js'
import { rougeL as lcsScore, rougeN as ngramScore, tokenize, type RougeScore } from './rouge.js'
import { quote, text, verdict } from './shared.js'

/** promptfoo's defaults: at most 5 edits; a ROUGE score of at least 0.75. */
const DEFAULT_MAX_EDITS = 5
const DEFAULT_ROUGE = 0.75

/**
 * Past this many cells (characters × characters) the distance is computed only up to the
 * threshold: the band costs characters × (2·threshold + 1), and a far-off text needs no exact
 * count to fail.
 */
const EXACT_CELLS = 4_000_000

/** `levenshtein`: the output is at most `threshold` (default 5) edits from the value. */
export const levenshtein: AssertionType<string> = {
  type: 'levenshtein',
  negatable: true,
  value: text,
  prepare(expected, spec) {
    const max = spec.threshold ?? DEFAULT_MAX_EDITS
    return ({ output }) => {
      const exact = output.length * expected.length <= EXACT_CELLS
      const d = distance(output, expected, exact ? Number.POSITIVE_INFINITY : max)
      const measured = d > max && !exact ? `more than ${max}` : String(d)
      return verdict(
        d <= max,
        `Levenshtein distance to ${quote(expected, 40)} is ${measured} (at most ${max} passes)`,
      )
    }
  },
}

const references = z.pipe(
  z.union([text, z.array(text).check(z.minLength(1))]),
  z.transform((v) => (Array.isArray(v) ? v : [v])),
)

const rougeNValue = z.pipe(
  z.union([
    references,
    z.strictObject({
      reference: references,
      n: z._default(z.int().check(z.minimum(1), z.maximum(4)), 1),
    }),
  ]),
  z.transform((v) => (Array.isArray(v) ? { reference: v, n: 1 } : v)),
)

type RougeNValue = z.output<typeof rougeNValue>

/**
 * `rouge-n`: the ROUGE-N F1 of the output against the reference (the best of several) reaches
 * `threshold` (default 0.75); `n` defaults to 1.
 */
export const rougeN: AssertionType<RougeNValue> = {
  type: 'rouge-n',
  negatable: true,
  value: rougeNValue,
  prepare({ reference, n }, spec) {
    const refs = reference.map(tokenize)
    return rougeCheck(`ROUGE-${n}`, spec.threshold ?? DEFAULT_ROUGE, (c) =>
      refs.map((r) => ngramScore(c, r, n)),
    )
  },
}

/** `rouge-l`: the ROUGE-L F1 (longest common subsequence of words) reaches `threshold`. */
export const rougeL: AssertionType<string[]> = {
  type: 'rouge-l',
  negatable: true,
  value: references,
  prepare(reference, spec) {
    const refs = reference.map(tokenize)
    return rougeCheck('ROUGE-L', spec.threshold ?? DEFAULT_ROUGE, (c) =>
      refs.map((r) => lcsScore(c, r)),
    )
  },
}

function rougeCheck(
  name: string,
  threshold: number,
  scores: (candidate: readonly string[]) => RougeScore[],
): Check {
  return ({ output }) => {
    const best = scores(tokenize(output)).reduce((a, b) => (b.f1 > a.f1 ? b : a))
    const pass = best.f1 >= threshold
    const detail = `precision ${best.precision.toFixed(2)}, recall ${best.recall.toFixed(2)}`
    return {
      pass,
      score: best.f1,
      reason: `${name} F1 ${best.f1.toFixed(2)} (${detail}) ${pass ? '≥' : '<'} threshold ${threshold}`,
    }
  }
}
