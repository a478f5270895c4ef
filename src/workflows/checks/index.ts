/**
 * Checks of a running service: waiting until it is healthy, the smoke tests, and the monitor
 * (every interval, from history, or once for the scheduled health and spend check). `smoke` and
 * `monitor` are the stage's entry points (a URL or a target, with alerts); the rest are the
 * pieces the deploy pipeline runs as its steps.
 */
export { waitHealthy, type HealthWait, type WaitHealthyOptions } from './health.js'
export { openService, isUrl, type Service, type ServiceOptions } from './service.js'
export { runSmoke, type SmokeOptions } from './smoke.js'
export {
  checkOnce,
  judgeHistory,
  monitorPassed,
  readBaseline,
  runMonitor,
  type HistoryOptions,
  type MonitorOptions,
  type OnceOptions,
} from './monitor.js'
export {
  monitor,
  smoke,
  type MonitorResult,
  type MonitorServiceOptions,
  type SmokeResult,
} from './service-checks.js'
