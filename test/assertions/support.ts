import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import { prepareAssertion } from '../../src/assertions/index.js'
import type {
  AssertionContext,
  AssertionInput,
  AssertionSpec,
  Grade,
} from '../../src/contracts/assertion.js'
import { ShipgateError } from '../../src/errors.js'

/** The context of a deterministic assertion: files resolve against `baseDir`, no judge. */
export function plainContext(baseDir: string = tmpdir()): AssertionContext {
  return {
    baseDir,
    judge: () => Promise.reject(new ShipgateError('config', 'no judge in this test')),
    judgePrompt: () => undefined,
    tools: [],
  }
}

/** A sample as a check sees it; the defaults are those every assertion test starts from. */
export function sample(output: string, overrides: Partial<AssertionInput> = {}): AssertionInput {
  return {
    output,
    vars: {},
    prompt: [],
    latencyMs: 10,
    costUsd: 0.001,
    usage: null,
    toolCalls: [],
    ...overrides,
  }
}

/** Prepares `spec` (resolving `file://` against `baseDir`) and grades one output with it. */
export async function grade(
  spec: AssertionSpec,
  output: string,
  overrides: Partial<AssertionInput> = {},
  baseDir: string = tmpdir(),
): Promise<Grade> {
  const check = await prepareAssertion(spec, plainContext(baseDir))
  return check(sample(output, overrides))
}

/** The error `prepareAssertion` throws for `spec`, checked to be a config error. */
export async function configError(spec: AssertionSpec, baseDir = tmpdir()): Promise<ShipgateError> {
  const error = await prepareAssertion(spec, plainContext(baseDir)).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ShipgateError)
  const coded = error as ShipgateError
  expect(coded.code).toBe('config')
  return coded
}

/** A throwaway directory of fixture files, removed by `remove`. */
export function tempDir(files: Readonly<Record<string, string>>): {
  dir: string
  remove: () => void
} {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-assertions-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
