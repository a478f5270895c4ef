/**
 * The flagd flag-definition format (https://flagd.dev/reference/flag-definitions/), as far as
 * shipgate reads and writes it. Files are validated against the official schema, which
 * `@openfeature/flagd-core` ships precompiled; these types describe what the rollout helpers
 * produce and edit, and let other keys through untouched.
 */

/** A variant's value: all variants of one flag share one of these types. */
export type FlagVariantValue = boolean | string | number | { readonly [key: string]: unknown }

/** One flag: its variants, the variant served by default, and optional json-logic targeting. */
export interface FlagDefinition {
  /** `DISABLED` flags evaluate to the caller's default value. */
  readonly state: 'ENABLED' | 'DISABLED'
  /** Served when targeting is absent or returns null (for example, no `targetingKey`). */
  readonly defaultVariant: string
  /** Variant name → value. */
  readonly variants: Readonly<Record<string, FlagVariantValue>>
  /** A json-logic rule returning a variant name; flagd adds `fractional`, `sem_ver`, … */
  readonly targeting?: Readonly<Record<string, unknown>>
  /** Strings, numbers and booleans returned as `flagMetadata` with every evaluation. */
  readonly metadata?: Readonly<Record<string, string | number | boolean>>
}

/** A flag file: `flags` by key, plus flagd's optional `$schema`, `$evaluators` and `metadata`. */
export interface FlagFile {
  readonly $schema?: string
  readonly flags: Readonly<Record<string, FlagDefinition>>
  /** Reusable targeting rules, referenced from a flag as `{ "$ref": "name" }`. */
  readonly $evaluators?: Readonly<Record<string, unknown>>
  readonly metadata?: Readonly<Record<string, string | number | boolean>>
}

/** The `$schema` URL of flagd flag files, for editor completion. */
export const FLAGD_SCHEMA_URL = 'https://flagd.dev/schema/v0/flags.json'
