import { errorMessage } from '../utils/errors.js'
import { readFile } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import * as z from '../utils/zod.js'
import type { Grade } from '../contracts/assertion.js'
import { ShipgateError } from '../errors.js'

/** A pass/fail grade with score 1 or 0. */
export function verdict(pass: boolean, reason: string): Grade {
  return { pass, score: pass ? 1 : 0, reason }
}

/** Quotes text for a reason, shortened to `max` characters so reports stay readable. */
export function quote(text: string, max = 80): string {
  const short = text.length > max ? `${text.slice(0, max - 1)}…` : text
  return JSON.stringify(short)
}

/** A list of strings, written as a YAML list or as one comma-separated string. */
export const stringList = z
  .pipe(
    z.union([z.array(z.union([z.string(), z.number()])), z.string()]),
    z.transform((v) =>
      typeof v === 'string'
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== '')
        : v.map(String),
    ),
  )
  .check(z.refine((list) => list.length > 0, { message: 'give at least one string' }))

/** A single string; numbers are accepted and compared as their text. */
export const text = z.pipe(z.union([z.string(), z.number()]), z.transform(String))

/** Whether a value points at a file (`file://path`), as in promptfoo. */
export function isFileRef(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('file://')
}

/** Absolute path of a `file://` reference, relative to `baseDir`. */
export function fileRefPath(ref: string, baseDir: string): string {
  const path = ref.slice('file://'.length)
  return isAbsolute(path) ? path : resolve(baseDir, path)
}

/** Reads a JSON or YAML document from a `file://` reference. */
export async function loadDataRef(ref: string, baseDir: string): Promise<unknown> {
  const path = fileRefPath(ref, baseDir)
  let source: string
  try {
    source = await readFile(path, 'utf8')
  } catch (cause) {
    throw new ShipgateError('config', `cannot read ${path}`, {
      hint: 'check the file:// path; it is relative to the file that declares the assertion',
      cause,
    })
  }
  try {
    return /\.ya?ml$/i.test(path) ? (parseYaml(source) as unknown) : (JSON.parse(source) as unknown)
  } catch (cause) {
    throw new ShipgateError('config', `cannot parse ${path}: ${(cause as Error).message}`, {
      hint: 'the file must hold one JSON document, or YAML when it ends in .yaml or .yml',
      cause,
    })
  }
}

/** The output parsed as JSON, or the reason it is not JSON. */
export function parseJson(
  output: string,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(output) as unknown }
  } catch (error) {
    const message = errorMessage(error)
    return { ok: false, reason: `output is not valid JSON (${message})` }
  }
}
