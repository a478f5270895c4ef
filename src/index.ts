/**
 * shipgate's library API. Everything the CLI does is available here; the CLI is a thin layer
 * over these functions. Re-exports only.
 */

// Running evals
export { evaluate } from './workflows/eval/index.js'
export type { EvalOptions, EvalOutcome, EvalResult } from './workflows/eval/index.js'
export { initProject } from './workflows/init/index.js'
export type { InitResult } from './workflows/init/index.js'
export { loadRunResults } from './workflows/results/runs.js'
export { mergeResultsFiles } from './workflows/results/merge.js'
export type { MergeFilesOptions, MergeFilesResult } from './workflows/results/merge.js'
export { openProjectStore, storeLocation } from './workflows/project/store.js'
export { createRelease, diffRelease, listReleases, showRelease } from './workflows/release/index.js'
export type { CreatedRelease, CreateReleaseOptions } from './workflows/release/index.js'
export { buildManifest, diffReleases, releaseId, rollbackParts } from './core/release/index.js'
export type { ReleaseInputs, RollbackParts, VersionMove } from './core/release/index.js'
export type * from './contracts/release.js'
export { runSmoke } from './workflows/checks/smoke.js'
export type { SmokeCheckResult, SmokeOptions, SmokeReport } from './workflows/checks/smoke.js'
export { checkOnce, readBaseline, runMonitor } from './workflows/checks/monitor.js'
export type {
  MonitorInterval,
  MonitorOptions,
  MonitorOutcome,
  MonitorReport,
  OnceOptions,
  OnceReport,
} from './workflows/checks/monitor.js'
export { createMetricSource } from './metric-sources/index.js'
export type { MetricSourceContext } from './metric-sources/index.js'
export type * from './contracts/metrics.js'
export {
  builtinTargets,
  createTarget,
  retireLocalInstances,
  stopLocalTarget,
} from './deploy-targets/index.js'
export type { TargetFactory } from './deploy-targets/index.js'
export type {
  CommandTargetConfig,
  KubernetesTargetConfig,
  LocalTargetConfig,
  TargetConfig,
} from './deploy-targets/schemas.js'
export type * from './contracts/deploy.js'

// Config
export { findConfig, loadConfig } from './config/load.js'
export type { LoadedConfig, LoadedSuite, LoadedCase, LoadOptions } from './config/load.js'
export type { ConfigChoice } from './workflows/project/config.js'
export { configSchema } from './config/schema.js'
export type {
  Config,
  ConfigInput,
  SuiteConfig,
  CaseConfig,
  AssertionConfig,
} from './config/schema.js'
export { configJsonSchema } from './config/json-schema.js'

// Results and statistics
export { buildResults, createResultsBuilder, suiteStats } from './core/eval/aggregate.js'
export type { ResultsBuilder, RunRecord } from './core/eval/aggregate.js'
export { mergeShards } from './core/eval/merge.js'
export type { MergeOptions, MergeOutcome, MergeProblem, NamedResults } from './core/eval/merge.js'
export { parseShard, shardOf } from './core/eval/shard.js'
export { clusteredMean, passRateEstimate, wilson } from './core/stats/intervals.js'
export { mean, quantile } from './core/stats/quantiles.js'

// Extension points and their builtins
export type * from './contracts/assertion.js'
export type * from './contracts/clock.js'
export type * from './contracts/logger.js'
export type * from './contracts/provider.js'
export type * from './contracts/reporter.js'
export type * from './contracts/results.js'
export type * from './contracts/store.js'
export type * from './contracts/usage.js'
export { addUsage, uncachedInput, ZERO_USAGE } from './contracts/usage.js'
export { assertionTypeNames, builtinAssertions, prepareAssertion } from './assertions/index.js'
export { builtinProviders } from './providers/index.js'
export type {
  FunctionAnswer,
  FunctionCall,
  FunctionError,
  FunctionReply,
} from './providers/function/index.js'
export { builtinStores, openStore } from './stores/index.js'
export { costOf, createPriceLookup } from './pricing/index.js'
export type { Price, PriceLookup, PriceOverride } from './pricing/index.js'

// Reports
export { renderJson } from './reporters/json.js'
export { renderJunit } from './reporters/junit.js'
export { renderMarkdown } from './reporters/markdown.js'
export { renderSummary } from './reporters/terminal.js'

// Secret scan
export { scanSecrets } from './workflows/scan/index.js'
export type { ScanOptions } from './workflows/scan/index.js'
export type * from './contracts/scan.js'
export { renderSarif as renderScanSarif } from './scan/sarif.js'
export { renderScan } from './scan/terminal.js'

// Alerts
export { gateEvent, notifyAll, notifyConfigured, pipelineEvent } from './workflows/alerts/index.js'
export type { NotifyOptions, NotifyResult } from './workflows/alerts/index.js'
export type * from './contracts/notifier.js'
export {
  builtinNotifiers,
  createNotifiers,
  signWebhook,
  verifyWebhookSignature,
} from './notifiers/index.js'
export type { NotifierDeps, NotifierFactory, SignedDelivery } from './notifiers/index.js'

// Errors and logging
export { ConfigError, ShipgateError, EXIT_CODES } from './errors.js'
export type { ConfigIssue, ErrorCode } from './errors.js'
export { createLogger, silentLogger } from './logger.js'
export { shipgateVersion } from './utils/package.js'
