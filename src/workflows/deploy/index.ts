/**
 * Putting a release on a target and taking it back: `deploy` (verify → plan → apply → shift or
 * canary → healthy → smoke → monitor, rolled back on failure, every step recorded, resumable),
 * the `canary` controls, and the coordinated `rollback` of code, prompt and model.
 */
export { canaryStatus, controlCanary, type CanaryOptions } from './control.js'
export { deploy, type DeployOptions } from './deploy.js'
export { rollback, type RollbackOptions } from './rollback.js'
export { stopTarget, type StopTargetOptions } from './stop.js'
