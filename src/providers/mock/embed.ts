/** Dimensions of the mock's embedding vectors. */
export const MOCK_DIMENSIONS = 256

/**
 * A deterministic stand-in for an embedding: a hashed bag of the text's lower-cased words, L2
 * normalised. Each word adds ±1 to one of 256 slots (the slot and the sign from its FNV-1a
 * hash), so texts sharing words point the same way, identical texts have cosine 1, and a text
 * without words is the zero vector. Not semantic: synonyms share nothing.
 */
export function hashedEmbedding(text: string): number[] {
  const vector = new Array<number>(MOCK_DIMENSIONS).fill(0)
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const hash = fnv1a(word)
    const slot = hash % MOCK_DIMENSIONS
    // The low bits pick the slot; a bit above them picks the sign, so collisions may cancel.
    vector[slot] = (vector[slot] ?? 0) + ((hash & 0x10000) === 0 ? 1 : -1)
  }
  const norm = Math.hypot(...vector)
  return norm === 0 ? vector : vector.map((x) => x / norm)
}

/** 32-bit FNV-1a over the UTF-16 code units of `text`. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}
