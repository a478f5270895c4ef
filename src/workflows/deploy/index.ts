/**
 * Putting a release on a target and taking it back: `deploy` (verify → plan → apply → shift →
 * healthy → smoke → monitor, rolled back on failure, every step recorded, resumable) and the
 * coordinated `rollback` of code, prompt and model.
 */
export { deploy, type DeployOptions, type DeployResult } from './deploy.js'
export { rollback, type PartResult, type RollbackOptions, type RollbackReport } from './rollback.js'
export { label as releaseLabel } from './events.js'
