/**
 * `@shipgate/runtime/canary`: a canary served from the same process as its stable release.
 * The deploy tool sets `CANARY_VERSION` and `CANARY_PERCENTAGE`; the router sends each user,
 * stickily, to the canary's version of prompt and model or to the stable one, and labels the
 * request's metrics with the version that served it. See docs/runtime.md#canary.
 */
export { createCanaryRouter } from './router.js'
export type { CanaryArm, CanaryChoice, CanaryRouter, CanaryRouterOptions } from './router.js'
export { CANARY_ENV, readCanaryEnv } from './settings.js'
export type { CanaryEnv, CanaryRead, CanarySettings } from './settings.js'
export { labelRequest } from '../telemetry/scope.js'
export type { RequestLabels } from '../telemetry/scope.js'
