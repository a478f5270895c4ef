import type { Deployment, DeploymentStep, SentAlert } from '../../contracts/deploy.js'
import type { ReleaseManifest } from '../../contracts/release.js'
import type { ToolCall } from '../../contracts/provider.js'
import type {
  AssertionGrade,
  CaseInfo,
  RunSelection,
  SampleResult,
  SuiteInfo,
} from '../../contracts/results.js'
import type { NewRun, StoredCase, StoredRun, StoredShard } from '../../contracts/store.js'
import type {
  CaseResultsTable,
  DeploymentsTable,
  ReleasesTable,
  RunCasesTable,
  RunShardsTable,
  RunsTable,
} from './schema.js'

/** Row ↔ value mapping of the SQL stores. JSON columns hold structured fields. */

export function runRow(run: NewRun): RunsTable {
  return {
    id: run.id,
    status: 'running',
    started_at: run.startedAt,
    finished_at: null,
    git_commit: run.git?.commit ?? null,
    git_branch: run.git?.branch ?? null,
    git_dirty: run.git === null ? null : run.git.dirty ? 1 : 0,
    config_hash: run.configHash,
    shipgate_version: run.shipgateVersion,
    owner_host: run.owner?.host ?? null,
    owner_pid: run.owner?.pid ?? null,
    suites: JSON.stringify(run.suites),
    summary: null,
    shard_index: run.shard?.index ?? null,
    shard_count: run.shard?.count ?? run.shards ?? null,
    plan_hash: null,
    selection: run.selection === undefined ? null : JSON.stringify(run.selection),
  }
}

export function runFromRow(row: RunsTable): StoredRun {
  const git =
    row.git_dirty === null
      ? null
      : { commit: row.git_commit, branch: row.git_branch, dirty: row.git_dirty === 1 }
  return {
    id: row.id,
    status: row.status as StoredRun['status'],
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    git,
    configHash: row.config_hash,
    shipgateVersion: row.shipgate_version,
    owner: ownerFromRow(row),
    suites: (JSON.parse(row.suites) as SuiteInfo[]).map(withRepeatRules),
    summary: row.summary === null ? null : (JSON.parse(row.summary) as StoredRun['summary']),
    ...(row.shard_count === null
      ? {}
      : row.shard_index === null
        ? { shards: row.shard_count }
        : { shard: { index: row.shard_index, count: row.shard_count } }),
    ...(row.selection === null ? {} : { selection: JSON.parse(row.selection) as RunSelection }),
  }
}

/** The owner columns (a host and a process) as an owner, or null when either is unknown. */
function ownerFromRow(row: {
  owner_host: string | null
  owner_pid: number | null
}): { host: string; pid: number } | null {
  return row.owner_host === null || row.owner_pid === null
    ? null
    : { host: row.owner_host, pid: row.owner_pid }
}

export function shardFromRow(row: RunShardsTable): StoredShard {
  return {
    index: row.shard_index,
    status: row.status as StoredShard['status'],
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    owner: ownerFromRow(row),
  }
}

export function caseRow(runId: string, kase: StoredCase, ordinal: number): RunCasesTable {
  return {
    run_id: runId,
    suite: kase.suite,
    case_id: kase.id,
    ordinal,
    description: kase.description ?? null,
    vars: JSON.stringify(kase.vars),
    tags: JSON.stringify(kase.tags),
    source: kase.source === undefined ? null : JSON.stringify(kase.source),
    fingerprint: kase.fingerprint ?? null,
  }
}

export function caseFromRow(row: RunCasesTable): StoredCase {
  const info: CaseInfo & { suite: string } = {
    suite: row.suite,
    id: row.case_id,
    vars: JSON.parse(row.vars) as Record<string, unknown>,
    tags: JSON.parse(row.tags) as string[],
    ...(row.description === null ? {} : { description: row.description }),
    ...(row.source === null
      ? {}
      : { source: JSON.parse(row.source) as NonNullable<CaseInfo['source']> }),
    ...(row.fingerprint === null ? {} : { fingerprint: row.fingerprint }),
  }
  return info
}

export function sampleRow(runId: string, s: SampleResult): CaseResultsTable {
  return {
    run_id: runId,
    suite: s.suite,
    case_id: s.caseId,
    sample: s.sample,
    output: s.output,
    pass: s.pass ? 1 : 0,
    score: s.score,
    grades: JSON.stringify(s.grades),
    input_tokens: s.usage?.input ?? null,
    output_tokens: s.usage?.output ?? null,
    cache_read_tokens: s.usage?.cacheRead ?? null,
    cache_write_tokens: s.usage?.cacheWrite ?? null,
    reasoning_tokens: s.usage?.reasoning ?? null,
    cost_usd: s.costUsd,
    latency_ms: s.latencyMs,
    error_kind: s.error?.kind ?? null,
    error_message: s.error?.message ?? null,
    attempts: s.attempts,
    cached: s.cached ? 1 : 0,
    reused: s.reused === true ? 1 : 0,
    tool_calls: callsColumn(s.toolCalls),
    trajectory: s.trajectory === undefined ? null : JSON.stringify(s.trajectory),
  }
}

/** An answer's calls as JSON; none (absent or empty) is null, read back as absent. */
function callsColumn(calls: readonly ToolCall[] | undefined): string | null {
  return calls === undefined || calls.length === 0 ? null : JSON.stringify(calls)
}

export function sampleFromRow(row: CaseResultsTable): SampleResult {
  const usage =
    row.input_tokens === null
      ? null
      : {
          input: row.input_tokens,
          output: row.output_tokens ?? 0,
          cacheRead: row.cache_read_tokens ?? 0,
          cacheWrite: row.cache_write_tokens ?? 0,
          reasoning: row.reasoning_tokens ?? 0,
        }
  return {
    suite: row.suite,
    caseId: row.case_id,
    sample: row.sample,
    output: row.output,
    pass: row.pass === 1,
    score: row.score,
    grades: JSON.parse(row.grades) as AssertionGrade[],
    usage,
    costUsd: row.cost_usd,
    latencyMs: row.latency_ms,
    error:
      row.error_kind === null
        ? null
        : {
            kind: row.error_kind as NonNullable<SampleResult['error']>['kind'],
            message: row.error_message ?? '',
          },
    attempts: row.attempts,
    cached: row.cached === 1,
    ...(row.reused === 1 ? { reused: true } : {}),
    ...(row.tool_calls === null ? {} : { toolCalls: JSON.parse(row.tool_calls) as ToolCall[] }),
    ...(row.trajectory === null ? {} : { trajectory: JSON.parse(row.trajectory) as ToolCall[] }),
  }
}

export function releaseRow(manifest: ReleaseManifest): ReleasesTable {
  return {
    id: manifest.id,
    name: manifest.name,
    created_at: manifest.createdAt,
    git_commit: manifest.code.commit,
    manifest: JSON.stringify(manifest),
  }
}

export function releaseFromRow(row: Pick<ReleasesTable, 'manifest'>): ReleaseManifest {
  return JSON.parse(row.manifest) as ReleaseManifest
}

export function deploymentRow(d: Deployment): DeploymentsTable {
  return {
    id: d.id,
    target: d.target,
    release_id: d.releaseId,
    previous_release_id: d.previousReleaseId,
    strategy: d.strategy,
    status: d.status,
    steps: JSON.stringify(d.steps),
    started_at: d.startedAt,
    finished_at: d.finishedAt,
    reason: d.reason,
    owner_host: d.owner?.host ?? null,
    owner_pid: d.owner?.pid ?? null,
    alerts: d.alerts === undefined ? null : JSON.stringify(d.alerts),
  }
}

export function deploymentFromRow(row: DeploymentsTable): Deployment {
  return {
    id: row.id,
    target: row.target,
    releaseId: row.release_id,
    previousReleaseId: row.previous_release_id,
    strategy: row.strategy as Deployment['strategy'],
    status: row.status as Deployment['status'],
    steps: JSON.parse(row.steps) as DeploymentStep[],
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    reason: row.reason,
    owner: ownerFromRow(row),
    ...(row.alerts === null ? {} : { alerts: JSON.parse(row.alerts) as SentAlert[] }),
  }
}

/** Runs stored before the repeat rules existed passed a case only when every sample did. */
function withRepeatRules(suite: SuiteInfo): SuiteInfo {
  const stored = suite as Partial<SuiteInfo> & Omit<SuiteInfo, 'casePass' | 'k'>
  return { ...stored, casePass: stored.casePass ?? 'all', k: stored.k ?? stored.repeat }
}
