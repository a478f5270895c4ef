/**
 * The few coded errors shipgate throws for misconfiguration, environment problems and bugs.
 * Expected negative outcomes (a failed assertion, a gate, a provider call) are values, not
 * errors. Only `cli/main.ts` turns an error into an exit code.
 *
 * They are defined once, in @shipgate/runtime, because runtime code that runs inside the CLI
 * (flags, pricing) throws them too and `cli/main.ts` tells them apart with `instanceof`
 * (docs/decisions/0006-runtime-package.md).
 */
export {
  ConfigError,
  EXIT_CODES,
  ShipgateError,
  environmentError,
  formatIssues,
  usageError,
} from '@shipgate/runtime/internal'
export type { ConfigIssue, ErrorCode } from '@shipgate/runtime/internal'
