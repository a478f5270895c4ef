/**
 * shipgate's library API. Everything the CLI does is available here; the CLI is a thin layer
 * over these functions. Re-exports only.
 */

// Running evals
export { evaluate } from './app/eval.js'
export type { EvalOptions, EvalOutcome, EvalResult } from './app/eval.js'
export { initProject } from './app/init.js'
export type { InitResult } from './app/init.js'
export { loadRunResults } from './app/runs.js'
export { mergeResultsFiles } from './app/merge.js'
export type { MergeFilesOptions, MergeFilesResult } from './app/merge.js'
export { openProjectStore, storeLocation } from './app/store.js'
export { createRelease, diffRelease, listReleases, showRelease } from './app/release.js'
export type { CreatedRelease, CreateReleaseOptions } from './app/release.js'
export { buildManifest, diffReleases, releaseId, rollbackParts } from './core/release/index.js'
export type { ReleaseInputs, RollbackParts, VersionMove } from './core/release/index.js'
export type * from './contracts/release.js'
export { runSmoke } from './app/smoke.js'
export type { SmokeCheckResult, SmokeOptions, SmokeReport } from './app/smoke.js'
export { checkOnce, readBaseline, runMonitor } from './app/monitor.js'
export type {
  MonitorInterval,
  MonitorOptions,
  MonitorOutcome,
  MonitorReport,
  OnceOptions,
  OnceReport,
} from './app/monitor.js'
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
export { builtinStores, openStore } from './stores/index.js'
export { costOf, createPriceLookup } from '@shipgate/runtime/pricing'
export type { Price, PriceLookup, PriceOverride } from '@shipgate/runtime/pricing'

// Reports
export { renderJson } from './reporters/json.js'
export { renderJunit } from './reporters/junit.js'
export { renderMarkdown } from './reporters/markdown.js'
export { renderSummary } from './reporters/terminal.js'

// Secret scan
export { scanSecrets } from './app/scan.js'
export type { ScanOptions } from './app/scan.js'
export type * from './contracts/scan.js'
export { renderSarif as renderScanSarif } from './scan/sarif.js'
export { renderScan } from './scan/terminal.js'

// Alerts
export { gateEvent, notifyAll, notifyConfigured, pipelineEvent } from './app/notify.js'
export type { NotifyOptions, NotifyResult } from './app/notify.js'
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
