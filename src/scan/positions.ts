/** Offsets of a text turned into lines and columns. */
export interface LineIndex {
  /** 1-based line and column (UTF-16 code units, SARIF's default) of a character offset. */
  position(offset: number): { line: number; column: number }
}

/** Indexes where the lines of `text` start (`\n`, `\r\n` and `\r` all end a line). */
export function lineIndex(text: string): LineIndex {
  const starts = [0]
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1)
  }
  return {
    position(offset) {
      let low = 0
      let high = starts.length - 1
      while (low < high) {
        const mid = (low + high + 1) >> 1
        if ((starts[mid] ?? 0) <= offset) low = mid
        else high = mid - 1
      }
      return { line: low + 1, column: offset - (starts[low] ?? 0) + 1 }
    },
  }
}
