/**
 * Operating an online experiment (docs/experiments.md): grade its sampled responses with the
 * config's judge (`judge.ts`), and start, ship or stop it through its flag (`flag.ts`). The
 * stage's index.ts re-exports this file.
 */
export {
  experimentShip,
  experimentStart,
  experimentStop,
  type ExperimentFlagOptions,
  type ExperimentShipOptions,
  type ExperimentStartOptions,
} from './flag.js'
export { experimentJudge, type ExperimentJudgeOptions } from './judge.js'
export type {
  ExperimentFlagAction,
  ExperimentFlagResult,
  ExperimentJudgeReport,
  JudgeFailure,
  MovedUsers,
  ShippedRelease,
  VariantJudgeScores,
} from '../../contracts/experiment-ops.js'
