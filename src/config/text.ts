import { isUtf8 } from 'node:buffer'
import { readFile } from 'node:fs/promises'
import { errorMessage } from '../utils/errors.js'

/** Why a file could not be read as text: a one-line reason and what to do about it. */
export interface Unreadable {
  readonly message: string
  readonly hint: string
  /** The 1-based line of the first byte that is not UTF-8, when that is the reason. */
  readonly line?: number
}

const SAVE_AS_UTF8 = 'save it as UTF-8 (in most editors: "Save with encoding" → UTF-8)'

/**
 * Reads a config, case or template file as UTF-8 text (a UTF-8 byte-order mark is dropped).
 * A directory, a missing file, a file in UTF-16 or UTF-32 (with or without a byte-order mark),
 * a binary file and bytes that are not UTF-8 come back as a reason instead of garbled text.
 */
export async function readText(
  path: string,
  shown: string,
): Promise<{ text: string } | { unreadable: Unreadable }> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (error) {
    return { unreadable: readFailure(error, shown) }
  }
  const unreadable = encodingProblem(bytes, shown)
  if (unreadable !== undefined) return { unreadable }
  const text = bytes.toString('utf8')
  return { text: text.startsWith('\ufeff') ? text.slice(1) : text }
}

function readFailure(error: unknown, shown: string): Unreadable {
  const code = (error as { code?: unknown }).code
  if (code === 'EISDIR') {
    return { message: `${shown} is a directory, not a file`, hint: 'name a file in it' }
  }
  if (code === 'ENOENT') {
    return { message: `${shown} does not exist`, hint: 'check the path and its spelling' }
  }
  return {
    message: `cannot read ${shown} (${typeof code === 'string' ? code : errorMessage(error)})`,
    hint: 'check that the file exists and is readable',
  }
}

/** Why `bytes` are not UTF-8 text, or `undefined` when they are. */
export function encodingProblem(bytes: Uint8Array, shown: string): Unreadable | undefined {
  const wide = wideEncoding(bytes)
  if (wide !== undefined) {
    return { message: `${shown} is ${wide}, which shipgate does not read`, hint: SAVE_AS_UTF8 }
  }
  if (bytes.includes(0)) {
    return {
      message: `${shown} holds NUL bytes: it is a binary file, not text`,
      hint: 'point at a text file (YAML, JSONL or CSV) saved as UTF-8',
    }
  }
  // Validated in place, without decoding a copy of the text only to throw it away.
  if (isUtf8(bytes)) return undefined
  const at = firstInvalid(bytes)
  return {
    message: `${shown} is not UTF-8 (byte ${at + 1} is not valid UTF-8; Latin-1 or Windows-1252?)`,
    hint: SAVE_AS_UTF8,
    line: lineOf(bytes, at),
  }
}

/** UTF-32 or UTF-16 by byte-order mark, or UTF-16 by its NUL-every-other-byte pattern. */
function wideEncoding(b: Uint8Array): string | undefined {
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return 'UTF-32 (little-endian)'
  if (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return 'UTF-32 (big-endian)'
  if (b[0] === 0xff && b[1] === 0xfe) return 'UTF-16 (little-endian)'
  if (b[0] === 0xfe && b[1] === 0xff) return 'UTF-16 (big-endian)'
  const sample = b.subarray(0, 4096)
  if (sample.length < 4) return undefined
  let evenNul = 0
  let oddNul = 0
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] !== 0) continue
    if (i % 2 === 0) evenNul++
    else oddNul++
  }
  const half = sample.length / 2
  // ASCII text in UTF-16 has a NUL in (nearly) every high byte.
  if (oddNul > half * 0.8 && evenNul < half * 0.1) return 'UTF-16 (little-endian)'
  if (evenNul > half * 0.8 && oddNul < half * 0.1) return 'UTF-16 (big-endian)'
  return undefined
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalid(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i] as number
    const length =
      b < 0x80
        ? 1
        : b >= 0xc2 && b < 0xe0
          ? 2
          : b >= 0xe0 && b < 0xf0
            ? 3
            : b >= 0xf0 && b < 0xf5
              ? 4
              : 0
    if (length === 0) return i
    for (let j = 1; j < length; j++) if (((bytes[i + j] ?? 0) & 0xc0) !== 0x80) return i
    i += length
  }
  return 0
}

function lineOf(bytes: Uint8Array, offset: number): number {
  let line = 1
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++
  return line
}
