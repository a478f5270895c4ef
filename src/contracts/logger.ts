/**
 * The injected, tagged logger; defined once in @shipgate/runtime, whose flag provider and rate
 * limiter take one too (docs/decisions/0006-runtime-package.md).
 */
export type { Logger, LogLevel } from '@shipgate/runtime/internal'
