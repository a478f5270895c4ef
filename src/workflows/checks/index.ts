/**
 * Checks of a running service: waiting until it is healthy, the smoke tests, and the monitor
 * (every interval, or once for the scheduled health and spend check).
 */
export { waitHealthy, type HealthWait, type WaitHealthyOptions } from './health.js'
export { openService, isUrl, type Service, type ServiceOptions } from './service.js'
export { runSmoke, type SmokeCheckResult, type SmokeOptions, type SmokeReport } from './smoke.js'
export {
  checkOnce,
  describeInterval,
  judgeHistory,
  readBaseline,
  runMonitor,
  type HistoryOptions,
  type MonitorInterval,
  type MonitorOptions,
  type MonitorOutcome,
  type MonitorReport,
  type OnceOptions,
  type OnceReport,
} from './monitor.js'
