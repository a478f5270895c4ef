/**
 * A project opened once for a stage: its config with the store it names (and runs that crashed
 * processes left `running` recovered), or with one deploy target and its notifiers.
 */
export {
  DEFAULT_STORE,
  openProjectStore,
  storeLocation,
  withConfigAndStore,
  withProjectStore,
  type StoreChoice,
} from './store.js'
export { loadProjectConfig, type ConfigChoice } from './config.js'
export { copyStore, type CopyStoreOptions } from './copy.js'
export { configSecrets, guardedStore, stageRedactor } from './secrets.js'
export { alive, currentOwner, endStoredRun, recoverAbandonedRuns } from './recover.js'
export { openCdContext, targetStateDir, type CdContext, type CdContextOptions } from './target.js'
