/**
 * Token usage of one model call, normalized across APIs; defined once in @shipgate/runtime,
 * whose telemetry and pricing use it too (docs/decisions/0006-runtime-package.md).
 */
export { ZERO_USAGE, addUsage, uncachedInput } from '@shipgate/runtime/internal'
export type { Usage } from '@shipgate/runtime/internal'
