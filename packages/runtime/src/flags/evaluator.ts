/**
 * `FlagEvaluator`: synchronous evaluation of the flags a {@link FileFlagProvider} has loaded,
 * for hot paths. It gives the same values, variants, reasons and error codes as the OpenFeature
 * client over the same provider, without the client's hook pipeline and without a promise.
 *
 * Why it exists: `@openfeature/server-sdk` 1.23 is compiled to ES2015, so each evaluation runs
 * seven generator-based async wrappers, and on Node 20 creating a generator closure costs about
 * 3 µs. Through the client an evaluation takes 17–26 µs; here it takes under 1 µs. Hooks
 * (logging, telemetry) registered with OpenFeature do not run for these evaluations.
 */
import type {
  EvaluationContext,
  EvaluationDetails,
  FlagValue,
  FlagValueType,
  JsonValue,
  ResolutionDetails,
} from '@openfeature/server-sdk'
import type { CompiledFlags } from './compile.js'

/** Synchronous flag evaluation; every method returns the default value when anything fails. */
export interface FlagEvaluator {
  getBooleanValue(flagKey: string, defaultValue: boolean, context?: EvaluationContext): boolean
  getStringValue(flagKey: string, defaultValue: string, context?: EvaluationContext): string
  getNumberValue(flagKey: string, defaultValue: number, context?: EvaluationContext): number
  getObjectValue<T extends JsonValue>(
    flagKey: string,
    defaultValue: T,
    context?: EvaluationContext,
  ): T
  /** The whole answer, as the client's `get*Details`: value, variant, reason, error code. */
  getDetails<T extends FlagValue>(
    type: FlagValueType,
    flagKey: string,
    defaultValue: T,
    context?: EvaluationContext,
  ): EvaluationDetails<T>
}

/** What the evaluator reads at each call: the flags loaded last, or `undefined` before ready. */
export type FlagSnapshot = () => CompiledFlags | undefined

const NOT_READY = 'PROVIDER_NOT_READY'
const GENERAL = 'GENERAL'

/** An evaluator over whatever `snapshot` returns at each call, so reloads apply at once. */
export function createFlagEvaluator(snapshot: FlagSnapshot): FlagEvaluator {
  // The value methods return the resolution's value without building the details object: on the
  // hot path every allocation shows.
  const resolve = <T extends FlagValue>(
    type: FlagValueType,
    flagKey: string,
    defaultValue: T,
    context: EvaluationContext | undefined,
  ): ResolutionDetails<T> => {
    const flags = snapshot()
    if (flags === undefined) return failed(flagKey, defaultValue, NOT_READY, 'flags not loaded yet')
    try {
      return flags.core.resolve(type, flagKey, defaultValue, context ?? {})
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      return failed(flagKey, defaultValue, GENERAL, message)
    }
  }
  return {
    getBooleanValue: (key, fallback, context) => resolve('boolean', key, fallback, context).value,
    getStringValue: (key, fallback, context) => resolve('string', key, fallback, context).value,
    getNumberValue: (key, fallback, context) => resolve('number', key, fallback, context).value,
    getObjectValue: (key, fallback, context) => resolve('object', key, fallback, context).value,
    getDetails: (type, key, fallback, context) => {
      const resolution = resolve(type, key, fallback, context)
      return { ...resolution, flagKey: key, flagMetadata: resolution.flagMetadata ?? {} }
    },
  }
}

function failed<T extends FlagValue>(
  flagKey: string,
  value: T,
  errorCode: string,
  errorMessage: string,
): EvaluationDetails<T> {
  return {
    flagKey,
    value,
    reason: 'ERROR',
    errorCode: errorCode as EvaluationDetails<T>['errorCode'],
    errorMessage,
    flagMetadata: {},
  }
}
