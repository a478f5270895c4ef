/**
 * `shipgate experiment start|ship|stop`: the experiment's flag in the flag file, changed the way
 * `shipgate flags` changes flags — planned on the file as read (`flag-plans.ts`), compiled,
 * written atomically (a watching FileFlagProvider sees the old file or the new) and recorded in
 * the history next to it. `ship` also records a release of the project as it now is.
 */
import { dirname, resolve } from 'node:path'
import type { FlagDefinition, FlagFile } from '@shipgate/runtime/flags'
import type { ExperimentConfig } from '../../config/experiment-schema.js'
import type { LoadedConfig } from '../../config/load.js'
import type {
  ExperimentFlagAction,
  ExperimentFlagResult,
  MovedUsers,
} from '../../contracts/experiment-ops.js'
import type { FlagChange } from '../../contracts/flags.js'
import type { Logger } from '../../contracts/logger.js'
import { usageError } from '../../errors.js'
import { silentLogger } from '../../logger.js'
import {
  changeFlag,
  currentActor,
  DEFAULT_FLAG_FILE,
  type FlagEdit,
  historyPath,
  loadFlagFile,
  type ChangeOptions,
} from '../flags/index.js'
import { loadProjectConfig, type StoreChoice } from '../project/index.js'
import { movedBy, planShip, planStart, planStop } from './flag-plans.js'
import { dryShip, type FlagTarget, recordOf, shipSteps } from './flag-steps.js'
import { allocated, experimentFlag, experimentNamed } from './lookup.js'
import { recordShipRelease } from './release.js'

/** Options of {@link experimentStart}, {@link experimentShip} and {@link experimentStop}. */
export interface ExperimentFlagOptions extends StoreChoice {
  /** The flag file (`--file`); default: `release.flags` of the config, else `flags.json` beside it. */
  readonly file?: string
  /** Why, for the history (recorded as `experiment NAME ACTION: REASON`). */
  readonly reason?: string
  /** Who makes the change; default git's `user.name`, else `$USER`. */
  readonly who?: string
  readonly now?: () => Date
  /** Plan and report the change; write and record nothing. */
  readonly dryRun?: boolean
  /** Where `ship`'s release warnings go. */
  readonly logger?: Logger
}

/** Options of {@link experimentStart}. */
export interface ExperimentStartOptions extends ExperimentFlagOptions {
  /** Start even when users who already have a variant other than control would switch. */
  readonly force?: boolean
}

/** Options of {@link experimentShip}. */
export interface ExperimentShipOptions extends ExperimentFlagOptions {
  /** The variant everyone gets. */
  readonly variant: string
}

/** What every operation starts from: the experiment, and its flag as the file has it now. */
interface Opened extends FlagTarget {
  readonly name: string
  readonly loaded: LoadedConfig
  readonly experiment: ExperimentConfig
  readonly path: string
  readonly file: FlagFile
  readonly flag: FlagDefinition
  readonly change: ChangeOptions
}

/**
 * `experiment start NAME`: writes the allocation to the experiment's flag as a `fractional`
 * rule (users sticky by targetingKey), control the default. A no-op when the flag already
 * serves it; refused (a usage error) when users who already have another variant than control
 * would switch, unless `force`.
 */
export async function experimentStart(
  name: string,
  options: ExperimentStartOptions,
): Promise<ExperimentFlagResult> {
  const opened = await open(name, options, 'start')
  const plan = (file: FlagFile) => planStart(file, name, opened.experiment, options.force === true)
  const first = plan(opened.file)
  const edits =
    options.dryRun === true ? [first.edit] : [await write(opened, (file) => plan(file).edit)]
  return result(opened, 'start', options, edits, { moved: first.moved, forced: first.forced })
}

/**
 * `experiment ship NAME --variant B`: everyone on B, through `flags ramp` (users already on B
 * stay) and `flags set`, each step recorded; then a release of the project named
 * `experiment-NAME-B`. A usage error for a variant the experiment does not have.
 */
export async function experimentShip(
  name: string,
  options: ExperimentShipOptions,
): Promise<ExperimentFlagResult> {
  const opened = await open(name, options, 'ship')
  const variants = allocated(opened.experiment)
  if (!variants.includes(options.variant)) {
    throw usageError(
      `experiment '${name}' has no variant '${options.variant}' (its variants: ${variants.join(', ')})`,
      `ship one of them: shipgate experiment ship ${name} --variant ${variants[1] ?? variants[0]}`,
    )
  }
  const steps = planShip(opened.file, opened.experiment.flag, options.variant)
  const changes = options.dryRun === true ? dryShip(opened, steps) : await shipSteps(opened, steps)
  const shipped = result(opened, 'ship', options, changes, { forced: false })
  if (options.dryRun === true) return shipped
  const release = await recordShipRelease(opened.loaded, options, name, shipped.after, {
    logger: options.logger ?? silentLogger,
    variant: options.variant,
    flagFile: opened.path,
  })
  return { ...shipped, release }
}

/**
 * `experiment stop NAME`: control to everyone, the rule removed, recorded as a rollback. This
 * moves users who had a treatment back to control, on purpose; the result says how many.
 */
export async function experimentStop(
  name: string,
  options: ExperimentFlagOptions,
): Promise<ExperimentFlagResult> {
  const opened = await open(name, options, 'stop')
  const plan = (file: FlagFile) => planStop(file, opened.experiment)
  const edits = options.dryRun === true ? [plan(opened.file)] : [await write(opened, plan)]
  return result(opened, 'stop', options, edits, { forced: false })
}

async function open(
  name: string,
  options: ExperimentFlagOptions,
  action: ExperimentFlagAction,
): Promise<Opened> {
  const loaded = await loadProjectConfig(options)
  const experiment = experimentNamed(loaded, name)
  const path =
    options.file !== undefined
      ? resolve(options.cwd, options.file)
      : resolve(loaded.dir, loaded.config.release.flags ?? DEFAULT_FLAG_FILE)
  const file = await loadFlagFile(path)
  const flag = await experimentFlag(loaded, name, file, path)
  const reason = `experiment ${name} ${action}${options.reason === undefined ? '' : `: ${options.reason}`}`
  const change: ChangeOptions = {
    cwd: options.cwd,
    env: options.env,
    file: path,
    reason,
    who: options.who ?? (await currentActor(dirname(path), options.env)),
    now: options.now,
  }
  return { name, key: experiment.flag, loaded, experiment, path, file, flag, change }
}

/** Writes one planned edit, re-planned on the file as it is at the write. */
async function write(
  opened: Opened,
  plan: (file: FlagFile) => FlagEdit,
): Promise<FlagChange | null> {
  return (await changeFlag(opened.change, opened.experiment.flag, plan)).change
}

/** The result of one operation from its changes (written ones, or planned edits of a dry run). */
function result(
  opened: Opened,
  action: ExperimentFlagAction,
  options: ExperimentFlagOptions,
  made: readonly (FlagChange | FlagEdit)[],
  extra: { readonly moved?: readonly MovedUsers[] | null; readonly forced: boolean },
): ExperimentFlagResult {
  const changes = made.flatMap((m) =>
    m === null ? [] : ['at' in m ? m : recordOf(opened, opened.flag, m)],
  )
  const after = changes.at(-1)?.after ?? opened.flag
  return {
    experiment: opened.name,
    action,
    flag: opened.experiment.flag,
    file: opened.path,
    history: historyPath(opened.path),
    dryRun: options.dryRun === true,
    before: opened.flag,
    after,
    changes,
    moved: extra.moved === undefined ? movedBy(opened.flag, after) : extra.moved,
    forced: extra.forced,
    release: null,
  }
}
