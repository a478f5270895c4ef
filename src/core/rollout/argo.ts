/**
 * Argo Rollouts manifests for a canary judged by shipgate: a `Rollout` whose canary steps come
 * from a plain steps list (Argo's `setWeight`, `pause`, `analysis`), and an `AnalysisTemplate`
 * whose `web` metric calls `shipgate analysis serve`. Pure: the objects, not their YAML.
 */
import { formatDuration } from '../../utils/duration.js'

/** One canary step, as Argo Rollouts names them. */
export type CanaryStep =
  | { readonly setWeight: number }
  /** Without a duration, the rollout waits until it is promoted. */
  | { readonly pause: { readonly durationMs?: number } }
  /** Runs the shipgate analysis; the rollout goes on when it succeeds, aborts when it fails. */
  | { readonly analysis: Record<string, never> }

/** The seed's plan: 5% of the traffic, the analysis, then everything. */
export const DEFAULT_CANARY_STEPS: readonly CanaryStep[] = [
  { setWeight: 5 },
  { analysis: {} },
  { setWeight: 100 },
]

/** What the manifests describe. */
export interface ArgoCanarySpec {
  /** The service: the Rollout's name, its pods' `app` label and container name. */
  readonly service: string
  readonly image: string
  /** The releases the analysis compares (the `release` label: `RELEASE_ID` in the pods). */
  readonly canaryRelease: string
  readonly stableRelease: string
  readonly steps: readonly CanaryStep[]
  /** Base URL of `shipgate analysis serve` as the Argo controller reaches it. */
  readonly analysisUrl: string
  /** Between measurements, and the analysis's interval. */
  readonly intervalMs: number
  /** Measurements per analysis step. */
  readonly count: number
  readonly replicas: number
  readonly port: number
  readonly namespace?: string
  /** The Secret holding the bearer token, when the endpoint asks for one. */
  readonly tokenSecret?: { readonly name: string; readonly key: string }
}

/** A Kubernetes object, as JSON. */
export type Manifest = Readonly<Record<string, unknown>>

/** The AnalysisTemplate's name for `service`. */
export const templateName = (service: string): string => `${service}-shipgate-analysis`

/** The Rollout for `spec`. */
export function rolloutManifest(spec: ArgoCanarySpec): Manifest {
  const labels = { app: spec.service }
  const release = [
    { name: 'RELEASE_ID', value: spec.canaryRelease },
    { name: 'SHIPGATE_RELEASE', value: spec.canaryRelease },
  ]
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: metadata(spec.service, spec),
    spec: {
      replicas: spec.replicas,
      revisionHistoryLimit: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: spec.service,
              image: spec.image,
              ports: [{ containerPort: spec.port }],
              env: release,
            },
          ],
        },
      },
      strategy: { canary: { steps: spec.steps.map((s) => argoStep(s, spec)) } },
    },
  }
}

function argoStep(step: CanaryStep, spec: ArgoCanarySpec): Manifest {
  if ('setWeight' in step) return { setWeight: step.setWeight }
  if ('pause' in step) {
    const { durationMs } = step.pause
    return { pause: durationMs === undefined ? {} : { duration: formatDuration(durationMs) } }
  }
  return {
    analysis: {
      templates: [{ templateName: templateName(spec.service) }],
      args: [
        { name: 'canary-release', value: spec.canaryRelease },
        { name: 'stable-release', value: spec.stableRelease },
      ],
    },
  }
}

/**
 * The AnalysisTemplate: one `web` metric reading the endpoint's `verdict`. A failed measurement
 * aborts at once (the analysis is valid at every look); inconclusive ones (too little canary
 * traffic yet) are allowed up to the last measurement, which must pass; four measurement errors
 * in a row (the endpoint's 503: metrics unreadable) make the run Error.
 */
export function analysisTemplateManifest(spec: ArgoCanarySpec): Manifest {
  const interval = formatDuration(spec.intervalMs)
  const query = `canary={{ args.canary-release }}&stable={{ args.stable-release }}&interval=${interval}`
  const args: Manifest[] = [{ name: 'canary-release' }, { name: 'stable-release' }]
  const headers: Manifest[] = []
  if (spec.tokenSecret !== undefined) {
    args.push({ name: 'token', valueFrom: { secretKeyRef: { ...spec.tokenSecret } } })
    headers.push({ key: 'Authorization', value: 'Bearer {{ args.token }}' })
  }
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: metadata(templateName(spec.service), spec),
    spec: {
      args,
      metrics: [
        {
          name: 'shipgate-canary',
          interval,
          count: spec.count,
          failureLimit: 0,
          inconclusiveLimit: spec.count - 1,
          consecutiveErrorLimit: 4,
          successCondition: 'result == "passing"',
          failureCondition: 'result == "failed"',
          provider: {
            web: {
              url: `${spec.analysisUrl.replace(/\/+$/, '')}/analysis?${query}`,
              timeoutSeconds: 20,
              ...(headers.length === 0 ? {} : { headers }),
              jsonPath: '{$.verdict}',
            },
          },
        },
      ],
    },
  }
}

function metadata(name: string, spec: ArgoCanarySpec): Manifest {
  const labels = {
    'app.kubernetes.io/name': spec.service,
    'app.kubernetes.io/managed-by': 'shipgate',
  }
  return spec.namespace === undefined
    ? { name, labels }
    : { name, namespace: spec.namespace, labels }
}
