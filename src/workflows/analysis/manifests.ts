/**
 * `shipgate analysis manifests`: the Argo Rollouts `Rollout` and `AnalysisTemplate` of a canary
 * judged by `shipgate analysis serve`, as YAML documents. The steps are a plain list (the
 * default: 5% → analysis → 100%), so a `rollout:` config can feed them later.
 */
import { stringify } from 'yaml'
import {
  analysisTemplateManifest,
  DEFAULT_CANARY_STEPS,
  rolloutManifest,
  type CanaryStep,
  type Manifest,
} from '../../core/rollout/argo.js'
import { usageError } from '../../errors.js'
import { parseDuration } from '../../utils/duration.js'

export { DEFAULT_CANARY_STEPS, type CanaryStep, type Manifest } from '../../core/rollout/argo.js'

/** Options of {@link argoManifests}. */
export interface ArgoManifestOptions {
  readonly service: string
  readonly image: string
  readonly canaryRelease: string
  readonly stableRelease: string
  /** Base URL of `shipgate analysis serve` as the Argo controller reaches it. */
  readonly analysisUrl: string
  /** Default {@link DEFAULT_CANARY_STEPS}. */
  readonly steps?: readonly CanaryStep[]
  /** Default 1 minute. */
  readonly intervalMs?: number
  /** Measurements per analysis step; default 10. */
  readonly count?: number
  /** Default 5. */
  readonly replicas?: number
  /** The container's port; default 8080. */
  readonly port?: number
  readonly namespace?: string
  /** `NAME:KEY` of the Secret with the endpoint's bearer token. */
  readonly tokenSecret?: { readonly name: string; readonly key: string }
}

/** The manifests, and both as one YAML stream. */
export interface ArgoManifests {
  readonly rollout: Manifest
  readonly analysisTemplate: Manifest
  readonly yaml: string
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/

/** Builds the manifests; throws a usage error for a name, URL or step Kubernetes would refuse. */
export function argoManifests(options: ArgoManifestOptions): ArgoManifests {
  if (!DNS_LABEL.test(options.service) || options.service.length > 40) {
    throw usageError(
      `service ${JSON.stringify(options.service)} is not a Kubernetes name`,
      'use lowercase letters, digits and dashes, at most 40 characters',
    )
  }
  if (!/^https?:\/\/[^\s?#]+$/.test(options.analysisUrl)) {
    throw usageError(
      `analysis URL ${JSON.stringify(options.analysisUrl)} is not an http(s) base URL`,
      'give where the Argo controller reaches shipgate analysis serve, e.g. http://shipgate-analysis:8790',
    )
  }
  const steps = options.steps ?? DEFAULT_CANARY_STEPS
  for (const step of steps) checkStep(step)
  const spec = {
    ...options,
    steps,
    intervalMs: options.intervalMs ?? 60_000,
    count: positive(options.count ?? 10, 'count'),
    replicas: positive(options.replicas ?? 5, 'replicas'),
    port: positive(options.port ?? 8080, 'port'),
  }
  const rollout = rolloutManifest(spec)
  const analysisTemplate = analysisTemplateManifest(spec)
  const yaml = [analysisTemplate, rollout].map((m) => stringify(m, { lineWidth: 0 })).join('---\n')
  return { rollout, analysisTemplate, yaml }
}

/**
 * A step written `setWeight=5`, `pause`, `pause=30s` or `analysis` (the command's `--step`).
 * Throws a usage error for anything else.
 */
export function parseStep(text: string): CanaryStep {
  const [kind, value] = text.split('=', 2)
  if (kind === 'analysis' && value === undefined) return { analysis: {} }
  if (kind === 'pause') {
    if (value === undefined) return { pause: {} }
    const durationMs = parseDuration(value)
    if (durationMs !== undefined && durationMs >= 1_000) return { pause: { durationMs } }
  }
  if (kind === 'setWeight' && value !== undefined && /^\d+$/.test(value)) {
    return { setWeight: Number(value) }
  }
  throw usageError(
    `step ${JSON.stringify(text)} is not a canary step`,
    'write setWeight=5, pause, pause=30s or analysis',
  )
}

function checkStep(step: CanaryStep): void {
  if (
    'setWeight' in step &&
    !(Number.isInteger(step.setWeight) && step.setWeight >= 0 && step.setWeight <= 100)
  ) {
    throw usageError(`setWeight ${step.setWeight} is not a percentage`, 'use a whole number 0–100')
  }
}

function positive(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw usageError(`${what} must be a whole number of at least 1, not ${value}`)
  }
  return value
}
