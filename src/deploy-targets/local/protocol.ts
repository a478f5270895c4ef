/**
 * What the local target's client and its supervisor daemon share: the files in the state
 * directory and the shapes of the control API. The supervisor owns the proxy and the instances;
 * the client (a `shipgate` process, short-lived) drives it over HTTP on 127.0.0.1.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/** Files the supervisor keeps in the target's state directory. */
export const FILES = {
  /** {@link SupervisorInfo}: written once the control API and proxy listen. */
  supervisor: 'supervisor.json',
  /** {@link SupervisorState}: every instance, rewritten on each change (mode 0600). */
  state: 'state.json',
  /** The control API's bearer token (mode 0600). */
  token: 'supervisor.token',
  /** Held (created exclusively) by the CLI starting the supervisor, so only one starts it. */
  starting: 'supervisor.starting',
  /** The supervisor's own log (stdout and stderr). */
  log: 'supervisor.log',
  /** Prometheus file_sd targets: one entry per instance. */
  prometheus: 'prometheus-targets.json',
  /** Directory of instance logs, `<instance id>.log`. */
  logs: 'logs',
} as const

/** Where the supervisor listens; `supervisor.json`. */
export interface SupervisorInfo {
  readonly pid: number
  readonly controlPort: number
  readonly proxyHost: string
  readonly proxyPort: number
  readonly startedAt: string
}

/** How the supervisor is started (its command-line options). */
export interface SupervisorOptions {
  readonly stateDir: string
  readonly host: string
  readonly port: number
  readonly stickyHeader: string | null
}

/** What it takes to start (and restart) one instance of a release. */
export interface InstanceSpec {
  readonly releaseId: string
  /** Shell line run with /bin/sh -c in `cwd`, in its own process group. */
  readonly command: string
  readonly cwd: string
  /** The whole environment but PORT, which the supervisor picks. */
  readonly env: Readonly<Record<string, string>>
  readonly healthPath: string
  readonly healthTimeoutMs: number
  /**
   * How the supervisor keeps probing `healthPath` while the instance runs (the target's
   * `healthCheck`); absent in state written before health checks, whose instances are not probed.
   */
  readonly probe?: ProbeSettings
}

/** The target's `healthCheck`, in milliseconds: how a running instance is probed. */
export interface ProbeSettings {
  /** A probe starts this long after the one before started. */
  readonly intervalMs: number
  /** A probe without a 200 answer within this fails. */
  readonly timeoutMs: number
  /** Failed probes in a row that take the instance out of rotation. */
  readonly unhealthyThreshold: number
  /** Passed probes in a row that bring it back. */
  readonly healthyThreshold: number
}

/** Whether the proxy sends an instance new requests; its weight is kept either way. */
export interface InstanceHealth {
  readonly status: 'healthy' | 'unhealthy'
  /** When it last changed (the start, for an instance never out). */
  readonly since: string
  /** Why it is out of rotation (the last failed probe); `null` while healthy. */
  readonly reason: string | null
}

/** A running instance, as the supervisor records it. */
export interface InstanceRecord extends InstanceSpec {
  /** `inst-<n>`: a release has two while it restarts with new variables. */
  readonly id: string
  readonly port: number
  /** Leader of the instance's process group. */
  readonly pid: number
  /** Share of traffic, 0–100, as configured: kept while the instance is out of rotation. */
  readonly weight: number
  readonly startedAt: string
  /** In rotation or out (the supervisor's health checks); state.json and `GET /state` show it. */
  readonly health: InstanceHealth
}

/** `state.json`, and the answer of `GET /state`. */
export interface SupervisorState {
  readonly proxy: { readonly host: string; readonly port: number }
  readonly instances: readonly InstanceRecord[]
}

/** Body of `POST /instances`; without `weight`, 100 when nothing has traffic, else 0. */
export interface StartRequest {
  readonly spec: InstanceSpec
  readonly weight?: number
}

/** Body of `POST /weights`: releases not named get 0. */
export interface WeightsRequest {
  readonly weights: Readonly<Record<string, number>>
}

/** Body of `POST /stop`: stops every instance of the release after draining. */
export interface StopRequest {
  readonly releaseId: string
  readonly drainMs: number
}

/** Body of `POST /retire`: stops every instance with weight 0 after draining. */
export interface RetireRequest {
  readonly drainMs: number
}

/** Body of `POST /variables`: restarts every instance with `vars` added to its env. */
export interface VariablesRequest {
  readonly vars: Readonly<Record<string, string>>
  readonly drainMs: number
}

/** Every error answer of the control API. */
export interface ErrorAnswer {
  readonly error: string
  /** The end of the instance's log, when an instance failed. */
  readonly log?: string
}

/** Reads a JSON file of the state directory; `undefined` when it is missing or unreadable. */
export function readStateFile<T>(stateDir: string, file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(join(stateDir, file), 'utf8')) as T
  } catch {
    return undefined
  }
}
