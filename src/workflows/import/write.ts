import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { stringify } from 'yaml'
import { loadConfig } from '../../config/load.js'
import type { ImportFileStatus } from '../../contracts/import.js'
import type { ImportPlan } from '../../core/import/index.js'
import { ConfigError } from '../../errors.js'
import { makeDirectory } from '../../utils/files.js'

/** The files an import writes, by path relative to the output directory, with their text. */
export function renderFiles(plan: ImportPlan, source: string): Record<string, string> {
  const header = `# Imported from ${source} by \`shipgate import promptfoo\` (see docs/import.md).\n`
  const yaml = (value: unknown) => stringify(value, { lineWidth: 0, aliasDuplicateObjects: false })
  return {
    'shipgate.yaml': header + yaml(plan.config),
    [plan.casesFile]: plan.casesFile.endsWith('.jsonl')
      ? plan.cases.map((c) => `${JSON.stringify(c)}\n`).join('')
      : header + yaml(plan.cases),
    ...plan.files,
  }
}

type FileStatus = ImportFileStatus

/** The status of each file against what `dir` holds now. */
export function compareFiles(
  dir: string,
  files: Readonly<Record<string, string>>,
): Record<string, FileStatus> {
  return Object.fromEntries(
    Object.entries(files).map(([path, text]) => {
      const at = join(dir, path)
      if (!existsSync(at)) return [path, 'new']
      return [path, readFileSync(at, 'utf8') === text ? 'same' : 'differs']
    }),
  )
}

/** Writes the files under `dir`, creating folders. */
export async function writeFiles(
  dir: string,
  files: Readonly<Record<string, string>>,
): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    makeDirectory(dirname(join(dir, path)))
    await writeFile(join(dir, path), text)
  }
}

/** What an unset variable stands for in the check: a valid URL, since many are base URLs. */
const PLACEHOLDER = 'http://unset.invalid'

/**
 * Loads the written project back with shipgate's own config loader, in a temporary directory
 * (so `--check` writes nothing where the user looks). Returns the loader's issues, none when it
 * loads; the variables the config names are set to placeholders for the check.
 */
export async function loadBack(
  files: Readonly<Record<string, string>>,
  envNames: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ issues: string[]; cases: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'shipgate-import-'))
  try {
    await writeFiles(dir, files)
    const placeholders = Object.fromEntries(envNames.map((n) => [n, env[n] ?? PLACEHOLDER]))
    const loaded = await loadConfig({
      cwd: dir,
      file: 'shipgate.yaml',
      env: { ...env, ...placeholders },
    })
    return { issues: [], cases: loaded.suites.reduce((n, s) => n + s.cases.length, 0) }
  } catch (error) {
    if (error instanceof ConfigError) return { issues: error.message.split('\n'), cases: 0 }
    throw error
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
