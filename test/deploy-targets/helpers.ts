/** Shared pieces of the deploy-target tests: releases, contexts and fake CLIs on PATH. */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TargetContext } from '../../src/contracts/deploy.js'
import type { ReleaseManifest } from '../../src/contracts/release.js'
import { silentLogger } from '../../src/logger.js'

/** A release manifest with `id`, optionally a name and env. */
export function release(
  id: string,
  options: { name?: string; env?: Record<string, string>; commit?: string } = {},
): ReleaseManifest {
  return {
    id,
    name: options.name ?? null,
    createdAt: '2026-01-01T00:00:00.000Z',
    code: { commit: options.commit ?? 'abc123def456', branch: 'main', dirty: false },
    prompts: {},
    models: {},
    flags: null,
    configHash: 'sha256:00',
    env: options.env ?? {},
  }
}

/** A target context over `dir` (cwd) with state in `dir/.state`. */
export function context(
  dir: string,
  env: Record<string, string | undefined>,
  signal: AbortSignal = new AbortController().signal,
): TargetContext {
  const stateDir = join(dir, '.state')
  mkdirSync(stateDir, { recursive: true })
  return { signal, logger: silentLogger, stateDir, cwd: dir, env }
}

/**
 * Writes an executable `bin/<name>` in `dir` that appends its argv (and the env vars in
 * `report`) as a JSON line to `<dir>/<name>.calls.jsonl`, then runs `behaviour` (node code
 * with `args` in scope). Returns the bin directory.
 */
export function fakeCli(dir: string, name: string, behaviour = '', report: string[] = []): string {
  const bin = join(dir, 'bin')
  mkdirSync(bin, { recursive: true })
  const log = join(dir, `${name}.calls.jsonl`)
  const script = `#!${process.execPath}
const fs = require('node:fs')
const args = process.argv.slice(2)
const env = {}
for (const name of ${JSON.stringify(report)}) env[name] = process.env[name] ?? null
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ args, env, cwd: process.cwd() }) + '\\n')
${behaviour}
`
  writeFileSync(join(bin, name), script)
  chmodSync(join(bin, name), 0o755)
  return bin
}

/** One recorded call of a fake CLI. */
export interface Call {
  readonly args: string[]
  readonly env: Record<string, string | null>
  readonly cwd: string
}

/** The calls `fakeCli(dir, name)` recorded, in order. */
export function calls(dir: string, name: string): Call[] {
  const log = join(dir, `${name}.calls.jsonl`)
  if (!existsSync(log)) return []
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Call)
}
