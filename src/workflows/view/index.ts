/** `shipgate view`: the local web viewer over the store. */
export {
  DEFAULT_VIEW_PORT,
  startViewer,
  viewApp,
  type ViewDeps,
  type ViewOptions,
  type Viewer,
} from './server.js'
export { DEFAULT_VIEW_TOKEN_ENV } from './auth.js'
export { ResultsCache } from './cache.js'
