// The statistics module: intervals, hypothesis tests, multiple-comparison adjustments and power.
// Pure functions; see docs/statistics.md for what each is used for.
export * from './distributions.js'
export * from './intervals.js'
export * from './mann-whitney.js'
export * from './multiple.js'
export * from './paired-proportions.js'
export * from './power-effects.js'
export * from './power.js'
export * from './proportions.js'
export * from './quantiles.js'
export * from './sequential.js'
export * from './tests.js'
export type * from './types.js'
