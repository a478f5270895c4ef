/** Row types of the SQL stores (SQLite and Postgres share them). */
export interface Database {
  runs: RunsTable
  run_suites: { run_id: string; suite: string }
  run_shards: RunShardsTable
  run_batches: RunBatchesTable
  run_cases: RunCasesTable
  case_results: CaseResultsTable
  releases: ReleasesTable
  deployments: DeploymentsTable
  deployment_controls: { deployment_id: string; action: string; requested_at: string }
  experiment_events: ExperimentEventsTable
}

/** One event of an online experiment; `name`/`value` for outcomes, `input`/`output` for samples. */
export interface ExperimentEventsTable {
  id: string
  experiment: string
  type: string
  variant: string
  user_id: string
  at: string
  name: string | null
  value: number | null
  input: string | null
  output: string | null
}

export interface ReleasesTable {
  id: string
  name: string | null
  created_at: string
  git_commit: string | null
  /** JSON: the whole ReleaseManifest. */
  manifest: string
}

export interface DeploymentsTable {
  id: string
  target: string
  release_id: string
  previous_release_id: string | null
  strategy: string
  status: string
  /** JSON: DeploymentStep[] */
  steps: string
  started_at: string
  finished_at: string | null
  reason: string | null
  owner_host: string | null
  owner_pid: number | null
  /** JSON: SentAlert[]; null when none was sent (migration 010). */
  alerts: string | null
}

export interface RunsTable {
  id: string
  status: string
  started_at: string
  finished_at: string | null
  git_commit: string | null
  git_branch: string | null
  git_dirty: number | null
  config_hash: string
  shipgate_version: string
  /** The host and process that ran it, to tell a crashed run from one still going. */
  owner_host: string | null
  owner_pid: number | null
  /** JSON: SuiteInfo[] */
  suites: string
  /** JSON: the results summary, once the run ended. */
  summary: string | null
  /** The shard of a sharded eval (1-based) and how many there are; null when unsharded. */
  shard_index: number | null
  shard_count: number | null
  /** What every shard of a run written by several planned; null for any other run. */
  plan_hash: string | null
  /** JSON: how a partial run narrowed its cases (RunSelection); null for a full run. */
  selection: string | null
}

/** One shard process of a run written by several (`eval --shard i/n --run-id ID`). */
export interface RunShardsTable {
  run_id: string
  shard_index: number
  status: string
  started_at: string
  finished_at: string | null
  owner_host: string | null
  owner_pid: number | null
}

/** A provider batch a run submitted (`eval --batch`, migration 013). */
export interface RunBatchesTable {
  run_id: string
  batch_id: string
  /** Its place among the run's batches, from 0, in the order they were added. */
  position: number
  provider: string
  submitted_at: string
  /** JSON: string[], the custom ids of its requests in the order sent. */
  requests: string
}

export interface RunCasesTable {
  run_id: string
  suite: string
  case_id: string
  ordinal: number
  description: string | null
  vars: string
  tags: string
  source: string | null
  fingerprint: string | null
}

export interface CaseResultsTable {
  run_id: string
  suite: string
  case_id: string
  sample: number
  output: string | null
  pass: number
  score: number
  grades: string
  input_tokens: number | null
  output_tokens: number | null
  cache_read_tokens: number | null
  cache_write_tokens: number | null
  reasoning_tokens: number | null
  cost_usd: number | null
  latency_ms: number | null
  error_kind: string | null
  error_message: string | null
  attempts: number
  cached: number
  reused: number
  /** JSON: ToolCall[], the answer's tool calls; null when it made none (migration 011). */
  tool_calls: string | null
  /** JSON: ToolCall[], the steps of a multi-step run; null when none were reported. */
  trajectory: string | null
}
