/**
 * `@shipgate/runtime/internal`: the small foundations the shipgate CLI shares with the runtime,
 * defined here once so an error thrown by runtime code inside the CLI is the CLI's own class
 * (docs/decisions/0006-runtime-package.md). For shipgate's own packages, which pin this package's
 * exact version: no compatibility promise beyond them.
 */
export * from './errors.js'
export * from './contracts/usage.js'
export { RELEASE_ENV } from './contracts/release-env.js'
export type * from './contracts/logger.js'
export { silentLogger } from './logger.js'
