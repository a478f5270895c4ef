/*
 * ROUGE (Lin 2004) over word tokens, as Google's rouge-score computes it: lower-cased runs of
 * letters and digits (any script), n-gram overlap with clipped counts for ROUGE-N, the longest
 * common subsequence for ROUGE-L; each as precision, recall and F1.
 */

/** Precision, recall and F1 of a candidate against a reference. */
export interface RougeScore {
  readonly precision: number
  readonly recall: number
  readonly f1: number
}

/** Lower-cased word tokens: runs of letters and digits. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []
}

/** ROUGE-N of token lists: overlapping n-grams, each counted at most as often as in both. */
export function rougeN(candidate: readonly string[], reference: readonly string[], n: number) {
  const cand = ngramCounts(candidate, n)
  const ref = ngramCounts(reference, n)
  let overlap = 0
  for (const [gram, count] of cand.counts) overlap += Math.min(count, ref.counts.get(gram) ?? 0)
  return score(overlap, cand.total, ref.total)
}

/** ROUGE-L of token lists: their longest common subsequence. */
export function rougeL(candidate: readonly string[], reference: readonly string[]): RougeScore {
  return score(lcsLength(candidate, reference), candidate.length, reference.length)
}

function score(overlap: number, candidateTotal: number, referenceTotal: number): RougeScore {
  const precision = candidateTotal === 0 ? 0 : overlap / candidateTotal
  const recall = referenceTotal === 0 ? 0 : overlap / referenceTotal
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  return { precision, recall, f1 }
}

function ngramCounts(tokens: readonly string[], n: number) {
  const counts = new Map<string, number>()
  let total = 0
  for (let i = 0; i + n <= tokens.length; i++) {
    const gram = n === 1 ? (tokens[i] as string) : tokens.slice(i, i + n).join('\u0000')
    counts.set(gram, (counts.get(gram) ?? 0) + 1)
    total++
  }
  return { counts, total }
}

/** Length of the longest common subsequence, in one row of the shorter list (O(min) memory). */
function lcsLength(a: readonly string[], b: readonly string[]): number {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a]
  if (short.length === 0) return 0
  // Tokens as numbers: comparing small integers in the inner loop beats comparing strings.
  const ids = new Map<string, number>()
  const idOf = (t: string) => ids.get(t) ?? (ids.set(t, ids.size), ids.size - 1)
  const s = Uint32Array.from(short, idOf)
  const row = new Uint32Array(s.length + 1)
  for (const token of long) {
    const t = ids.get(token)
    if (t === undefined) continue // in no common subsequence
    let diagonal = 0
    for (let i = 1; i <= s.length; i++) {
      const up = row[i] as number
      row[i] = s[i - 1] === t ? diagonal + 1 : Math.max(up, row[i - 1] as number)
      diagonal = up
    }
  }
  return row[s.length] as number
}
