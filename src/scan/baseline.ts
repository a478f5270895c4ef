import { createHmac, randomBytes } from 'node:crypto'
import { ShipgateError } from '../errors.js'
import * as z from '../utils/zod.js'

/** Where the baseline lives by default, relative to the project. */
export const DEFAULT_BASELINE = '.shipgate-secrets-baseline.json'

const entrySchema = z.strictObject({
  /** `file:rule:line` when the baseline was written. */
  fingerprint: z.string(),
  file: z.string(),
  rule: z.string(),
  /** HMAC-SHA256 of the secret keyed by the baseline's salt. */
  secretHash: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
})

const baselineSchema = z.strictObject({
  version: z.literal(1),
  tool: z.literal('shipgate-scan'),
  salt: z.string().check(z.regex(/^[0-9a-f]{32,}$/)),
  findings: z.array(entrySchema),
})

/**
 * Findings accepted as they are (`shipgate scan --update-baseline`). Each is kept as its file,
 * rule and a salted hash of its secret, never the secret: a dictionary of common passwords
 * cannot be checked against the file without also hashing it per salt.
 */
export type Baseline = z.output<typeof baselineSchema>
export type BaselineEntry = z.output<typeof entrySchema>

/** An empty baseline with a new random salt. */
export function emptyBaseline(): Baseline {
  return { version: 1, tool: 'shipgate-scan', salt: randomBytes(16).toString('hex'), findings: [] }
}

/** Parses a baseline file; a file that is not one is a config error naming it. */
export function parseBaseline(text: string, file: string): Baseline {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (cause) {
    throw invalid(file, 'it is not JSON', cause)
  }
  const parsed = baselineSchema.safeParse(value)
  if (!parsed.success) throw invalid(file, z.prettifyError(parsed.error), parsed.error)
  return parsed.data
}

/** The baseline as written to disk: sorted, so that its diffs show what changed. */
export function renderBaseline(baseline: Baseline): string {
  const findings = [...baseline.findings].sort(
    (a, b) =>
      a.fingerprint.localeCompare(b.fingerprint) || a.secretHash.localeCompare(b.secretHash),
  )
  return `${JSON.stringify({ ...baseline, findings }, null, 2)}\n`
}

/** The salted hash under which a baseline knows a secret. */
export function hashSecret(salt: string, secret: string): string {
  return createHmac('sha256', salt).update(secret).digest('hex')
}

/**
 * The identity a baseline matches on: file, rule and secret, not the line, so that editing
 * around a finding does not report it again; a changed secret is a new finding.
 */
export function baselineKey(entry: Pick<BaselineEntry, 'file' | 'rule' | 'secretHash'>): string {
  return `${entry.file}\u0000${entry.rule}\u0000${entry.secretHash}`
}

function invalid(file: string, why: string, cause: unknown): ShipgateError {
  return new ShipgateError('config', `${file} is not a shipgate secrets baseline: ${why}`, {
    hint: 'fix or delete it, then run `shipgate scan --update-baseline` to write it again',
    cause,
  })
}
