import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Logger } from '../../contracts/logger.js'
import type { ScanReport, SecretFinding } from '../../contracts/scan.js'
import { usageError } from '../../errors.js'
import {
  baselineKey,
  DEFAULT_BASELINE,
  emptyBaseline,
  hashSecret,
  parseBaseline,
  renderBaseline,
  type Baseline,
  type BaselineEntry,
} from '../../scan/baseline.js'
import { createSecretEngine, type DetectedSecret } from '../../scan/engine.js'
import { fingerprint, IGNORE_FILE, parseIgnoreFile } from '../../scan/ignore.js'
import { writeFileAtomic } from '../../utils/files.js'
import { maskSecret } from '../../utils/secrets.js'
import { projectPlaces } from './project.js'
import { readTargets, scanTargets, type Target } from './read.js'

/** Options of {@link scanSecrets}. */
export interface ScanOptions {
  readonly cwd: string
  readonly env: Readonly<Record<string, string | undefined>>
  /** Scan only these files and directories (relative to `cwd`). */
  readonly paths?: readonly string[]
  /** Scan the staged content of the staged files (a pre-commit hook). */
  readonly staged?: boolean
  /** The baseline file (relative to `cwd`); default `.shipgate-secrets-baseline.json`. */
  readonly baseline?: string
  /** Write the current findings into the baseline, accepting them. */
  readonly updateBaseline?: boolean
  /** Files larger than this are skipped; default 2 MB. */
  readonly maxFileBytes?: number
  readonly logger: Logger
}

/** A finding and the salted hash of its secret, while the scan decides its fate. */
interface Hashed {
  readonly finding: SecretFinding
  readonly secretHash: string
}

/**
 * `shipgate scan` as a library call: finds secrets (secretlint's recommended rules) in the
 * repository's tracked files and the project's own files (cassettes, prompts, cases,
 * `.shipgate/`), or in the staged content; drops what `.gitleaksignore` lists and what the
 * baseline accepts; writes the baseline when asked. The report holds masked secrets only.
 */
export async function scanSecrets(options: ScanOptions): Promise<ScanReport> {
  const targets = await readTargets(options, (root) =>
    projectPlaces({ cwd: options.cwd, root, env: options.env, logger: options.logger }),
  )
  const ignored = await readIgnoreFile(targets.root)
  const baselineFile = options.baseline
    ? resolve(targets.cwd, options.baseline)
    : join(targets.projectDir, DEFAULT_BASELINE)
  const baseline = await readBaseline(baselineFile, options)
  const { scanned, skipped, detected } = await scanTargets(targets, createSecretEngine(), options)
  const hashed = detected.map(({ target, secret }) => toHashed(target, secret, baseline.salt))
  const kept = hashed.filter((h) => !ignored.has(h.finding.fingerprint))
  const update = options.updateBaseline === true
  if (update) {
    await writeFileAtomic(baselineFile, renderBaseline(updated(baseline, kept, scanned)))
    options.logger.info(`wrote ${kept.length} accepted findings to ${targets.name(baselineFile)}`)
  }
  const accepted = new Set((update ? kept.map(entryOf) : baseline.findings).map(baselineKey))
  const fresh = kept.filter((h) => !accepted.has(baselineKey(entryOf(h))))
  return {
    filesScanned: scanned.length,
    findings: fresh.map((h) => h.finding),
    ignored: hashed.length - kept.length,
    baselined: kept.length - fresh.length,
    skipped,
    baseline: update || existsSync(baselineFile) ? targets.name(baselineFile) : undefined,
    baselineUpdated: update,
  }
}

function toHashed(target: Target, secret: DetectedSecret, salt: string): Hashed {
  return {
    finding: {
      file: target.file,
      line: secret.line,
      column: secret.column,
      endLine: secret.endLine,
      endColumn: secret.endColumn,
      rule: secret.rule.id,
      title: secret.rule.title,
      message: secret.message,
      masked: maskSecret(secret.secret),
      fingerprint: fingerprint(target.file, secret.rule.id, secret.line),
      severity: secret.rule.severity,
      helpUri: secret.rule.helpUri,
    },
    secretHash: hashSecret(salt, secret.secret),
  }
}

function entryOf(h: Hashed): BaselineEntry {
  const { file, rule, fingerprint } = h.finding
  return { fingerprint, file, rule, secretHash: h.secretHash }
}

/** The baseline after this scan: its findings, plus the old entries of files it did not read. */
function updated(
  baseline: Baseline,
  kept: readonly Hashed[],
  scanned: readonly Target[],
): Baseline {
  const read = new Set(scanned.map((t) => t.file))
  const others = baseline.findings.filter((e) => !read.has(e.file))
  return { ...baseline, findings: [...others, ...kept.map(entryOf)] }
}

async function readIgnoreFile(root: string): Promise<Set<string>> {
  const file = join(root, IGNORE_FILE)
  return existsSync(file) ? parseIgnoreFile(await readFile(file, 'utf8')) : new Set()
}

async function readBaseline(file: string, options: ScanOptions): Promise<Baseline> {
  if (existsSync(file)) return parseBaseline(await readFile(file, 'utf8'), file)
  if (options.baseline !== undefined && options.updateBaseline !== true) {
    throw usageError(
      `baseline ${options.baseline} does not exist`,
      'write it with `shipgate scan --update-baseline --baseline FILE`',
    )
  }
  return emptyBaseline()
}
