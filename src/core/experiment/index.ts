// Online experiments' analysis: sample-ratio mismatch, always-valid tests of the primary
// metric, non-inferiority guardrails, and the decision. Pure; see docs/experiments.md.
export { decideExperiment } from './decide.js'
export { sampleRatioMismatch } from './srm.js'
export type * from './types.js'
