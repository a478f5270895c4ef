/**
 * shipgate's library API. Every CLI command is one of these functions (docs/library.md maps
 * them); the CLI parses arguments, calls one, and renders what it returns. Re-exports only.
 */

// The pipeline, stage by stage: init → select → scan → eval → gate → ci → release → deploy →
// smoke → monitor → rollback.
export { initProject } from './workflows/init/index.js'
export type { InitResult } from './workflows/init/index.js'
export { importPromptfoo } from './workflows/import/index.js'
export type { ImportOptions, ImportResult } from './workflows/import/index.js'
export type * from './contracts/import.js'
export { selectChanged } from './workflows/select/index.js'
export type { SelectOptions } from './workflows/select/index.js'
export type * from './contracts/select.js'
export { scanSecrets } from './workflows/scan/index.js'
export type { ScanOptions } from './workflows/scan/index.js'
export type * from './contracts/scan.js'
export { evaluate } from './workflows/eval/index.js'
export type {
  CassetteChoice,
  EvalOptions,
  EvalOutcome,
  EvalResult,
  SkippedEval,
} from './workflows/eval/index.js'
export { watchEval } from './workflows/watch/index.js'
export type { WatchEvent, WatchHandle, WatchOptions } from './workflows/watch/index.js'
export { serveCassettes, CASSETTE_MODES } from './workflows/proxy/index.js'
export type { CassetteMode, ProxyOptions, RunningProxy } from './workflows/proxy/index.js'
export {
  baselineBeforeRun,
  findBaseline,
  listRuns,
  loadRunResults,
  mergeResultsFiles,
  pruneRuns,
  readResults,
  resultsOf,
  showRun,
} from './workflows/results/index.js'
export type {
  FoundBaseline,
  ListRunsOptions,
  MergeFilesOptions,
  PruneReport,
  PruneRunsOptions,
  MergeFilesResult,
  RunChoice,
} from './workflows/results/index.js'
export { gate } from './workflows/gate/index.js'
export type { GateOptions, GateResult } from './workflows/gate/index.js'
export type * from './contracts/gate.js'
export { Grader, openGrader } from './workflows/grade/index.js'
export type {
  CaseAssertion,
  CheckOptions,
  GradedOutput,
  GraderOptions,
  SampleVerdict,
  SuiteCase,
  SuiteCasesOptions,
} from './workflows/grade/index.js'
export { ciBill, compare, costReport, runReport } from './workflows/compare/index.js'
export type { CiBillOptions, CompareOptions } from './workflows/compare/index.js'
export { startViewer, viewApp } from './workflows/view/index.js'
export type { ViewDeps, ViewOptions, Viewer } from './workflows/view/index.js'
export type * from './contracts/compare.js'
export { abCompare } from './workflows/ab/index.js'
export type { AbOptions, PairwiseChoice } from './workflows/ab/index.js'
export type * from './contracts/ab.js'
export { ci } from './workflows/ci/index.js'
export type { CiOptions, CiResult } from './workflows/ci/index.js'
export { commentOnPullRequest } from './workflows/comment/index.js'
export type { CommentOptions, CommentOutcome } from './workflows/comment/index.js'
export {
  copyStore,
  DEFAULT_STORE,
  openProjectStore,
  storeLocation,
  withConfigAndStore,
  withProjectStore,
} from './workflows/project/index.js'
export type { CopyStoreOptions, StoreChoice } from './workflows/project/index.js'
export { createRelease, diffRelease, listReleases, showRelease } from './workflows/release/index.js'
export type { CreateReleaseOptions } from './workflows/release/index.js'
export { buildManifest, diffReleases, releaseId, rollbackParts } from './core/release/index.js'
export type { ReleaseInputs, RollbackParts, VersionMove } from './core/release/index.js'
export type * from './contracts/release.js'
export {
  canaryStatus,
  controlCanary,
  deploy,
  rollback,
  stopTarget,
} from './workflows/deploy/index.js'
export type {
  CanaryOptions,
  DeployOptions,
  RollbackOptions,
  StopTargetOptions,
} from './workflows/deploy/index.js'
export type * from './contracts/deploy.js'
export {
  checkOnce,
  judgeHistory,
  monitor,
  monitorPassed,
  readBaseline,
  runMonitor,
  runSmoke,
  smoke,
  waitHealthy,
} from './workflows/checks/index.js'
export type {
  HistoryOptions,
  MonitorOptions,
  MonitorResult,
  MonitorServiceOptions,
  OnceOptions,
  ServiceOptions,
  SmokeOptions,
  SmokeResult,
} from './workflows/checks/index.js'
export type * from './contracts/checks.js'
export {
  argoManifests,
  DEFAULT_CANARY_STEPS,
  parseStep,
  serveAnalysis,
} from './workflows/analysis/index.js'
export type {
  AnalysisAnswer,
  AnalysisVerdict,
  ArgoManifestOptions,
  ArgoManifests,
  ArmSummary,
  CanaryStep,
  Manifest,
  RunningAnalysis,
  ServeAnalysisOptions,
} from './workflows/analysis/index.js'
export {
  flagFilePath,
  flagHistory,
  getFlag,
  listFlags,
  rampFlag,
  setFlag,
  validateFlags,
} from './workflows/flags/index.js'
export type {
  ChangeOptions,
  FlagFileChoice,
  RampRequest,
  SetRequest,
} from './workflows/flags/index.js'
export type * from './contracts/flags.js'
export {
  analyzeExperiment,
  experimentJudge,
  experimentShip,
  experimentStart,
  experimentStop,
  importExperimentEvents,
  listExperiments,
  serveCollector,
} from './workflows/experiment/index.js'
export type {
  AnalyzeExperimentOptions,
  CollectorOptions,
  ExperimentFlagOptions,
  ExperimentJudgeOptions,
  ExperimentShipOptions,
  ExperimentStartOptions,
  ImportEventsOptions,
  ListExperimentsOptions,
  RunningCollector,
} from './workflows/experiment/index.js'
export type * from './contracts/experiment.js'
export type * from './contracts/experiment-ops.js'
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
  FlagsTargetConfig,
  KubernetesTargetConfig,
  LocalTargetConfig,
  TargetConfig,
} from './deploy-targets/schemas.js'

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
export { caseKey, sampleOf, selectCases } from './core/eval/select-cases.js'
export type { CandidateCase, CaseSelection, SelectedCases } from './core/eval/select-cases.js'
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
export { costOf, createPriceLookup } from '@shipgate/runtime/pricing'
export type { Price, PriceLookup, PriceOverride } from '@shipgate/runtime/pricing'

// Reports
export { builtinReporters, createReporter, fileReporters, FILE_FORMATS } from './reporters/index.js'
export type { ReporterName } from './reporters/index.js'
export { renderJson } from './reporters/json.js'
export { renderJunit } from './reporters/junit.js'
export { renderMarkdown } from './reporters/markdown.js'
export { renderSummary } from './reporters/terminal.js'
export { renderVerdict, writeVerdictFiles } from './reporters/verdict.js'
export { renderPrComment } from './reporters/pr-comment.js'
export { renderBill, renderComparison, renderCost } from './reporters/compare.js'
export { escapeHtml, renderHtml, renderHtmlReport } from './reporters/html/index.js'
export { renderAb } from './reporters/ab.js'
export { renderSelection } from './reporters/selection.js'
export { describeInterval, renderMonitor, renderOnce, renderSmoke } from './reporters/checks.js'
export { renderDeployResult, renderDeployment, renderRollback } from './reporters/deploy.js'
export { releaseLabel, renderReleaseDiff, renderReleaseList } from './reporters/release.js'
export { renderRunList } from './reporters/runs.js'
export {
  renderFlag,
  renderFlagHistory,
  renderFlagList,
  renderFlagValidation,
  renderFlagWrite,
} from './reporters/flags.js'
export {
  experimentHeadline,
  renderExperimentImport,
  renderExperimentList,
  renderExperimentMarkdown,
  renderExperimentReport,
} from './reporters/experiment.js'
export { renderExperimentFlag, renderExperimentJudge } from './reporters/experiment-ops.js'

// Secret scan reports
export { renderSarif as renderScanSarif } from './reporters/sarif.js'
export { renderScan } from './reporters/scan.js'

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
export { createRedactor, type Redactor } from './utils/redact.js'
export { shipgateVersion } from './utils/package.js'
