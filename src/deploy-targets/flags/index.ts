/**
 * The `flags` target: a prompt- or model-only release goes out through a flagd flag file that
 * the running service watches (the runtime SDK's FileFlagProvider), without a code deploy. The
 * flag's variants are release ids; apply adds the new release at 0% of a `fractional` rollout
 * from the stable one, traffic shifts rewrite the weights (users only move from old to new),
 * 100% serves the new release to everyone, and a rollback serves the previous one to everyone.
 * The file is the only state, so a resumed deploy reads where it was. A release built from other
 * code is refused: a flag cannot move code (code.ts).
 */
import { resolve } from 'node:path'
import type {
  DeployPlan,
  DeployRequest,
  DeployTarget,
  StepOutcome,
  TargetContext,
} from '../../contracts/deploy.js'
import type { Logger } from '../../contracts/logger.js'
import type { ReleaseManifest } from '../../contracts/release.js'
import { usageError } from '../../errors.js'
import { errorMessage } from '../../utils/errors.js'
import type { FlagsTargetConfig } from '../schemas.js'
import { checkCode } from './code.js'
import {
  applyEdit,
  describeFlag,
  type FlagEdit,
  notReleaseFlag,
  rollbackEdit,
  shiftEdit,
} from './edits.js'
import { readFlagFile, withFlag, writeFlagFile } from '../../utils/flag-file.js'
import type { FlagFile } from '@shipgate/runtime/flags'

/** Creates a `flags` target. */
export function createFlagsTarget(
  name: string,
  config: FlagsTargetConfig,
  deps: { logger: Logger },
): DeployTarget {
  return new FlagsTarget(name, config, deps.logger.child(name))
}

class FlagsTarget implements DeployTarget {
  readonly type = 'flags'

  constructor(
    readonly name: string,
    private readonly config: FlagsTargetConfig,
    private readonly logger: Logger,
  ) {}

  async verify(ctx: TargetContext): Promise<StepOutcome> {
    const read = await readFlagFile(this.path(ctx))
    if (!read.ok) return { ok: false, reason: read.reason }
    const flag = read.file.flags[this.config.flag]
    const problem = flag === undefined ? undefined : notReleaseFlag(flag)
    if (problem !== undefined) {
      return {
        ok: false,
        reason: `flag '${this.config.flag}' in ${this.config.file} is not a release flag: ${problem}`,
        detail: 'the flags target writes this flag whole: name another with `flag:`, or remove it',
      }
    }
    const now = describeFlag(flag, this.config.flag, read.file)
    return { ok: true, detail: `${this.config.file}: flag '${this.config.flag}' ${now}` }
  }

  async plan(request: DeployRequest, ctx: TargetContext): Promise<DeployPlan> {
    const code = this.codeCheck(request)
    const read = await readFlagFile(this.path(ctx))
    if (!read.ok) return { actions: [...code, `! ${read.reason}`] }
    const edit = applyEdit(read.file.flags[this.config.flag], this.config.flag, request)
    const where = `${this.config.file}: flag '${this.config.flag}'`
    if (!edit.ok) return { actions: [...code, `! ${edit.reason}`] }
    const actions = [...code, `write ${where}: ${edit.summary} (temp file + rename)`]
    if (request.previous !== null) {
      actions.push(
        `shift: rewrite the fractional weights of ${request.release.id} at each step (users only move from ${request.previous.id} to it)`,
        `promote at 100%: serve ${request.release.id} to everyone; roll back: serve ${request.previous.id} to everyone`,
      )
    }
    return { actions }
  }

  async apply(request: DeployRequest, ctx: TargetContext): Promise<StepOutcome> {
    const code = checkCode(request.release, request.previous)
    if (code.kind === 'changed' && this.config.onCodeChange === 'refuse') {
      return { ok: false, reason: `${code.message} (${code.hint})` }
    }
    return this.edit(ctx, (file) =>
      applyEdit(file.flags[this.config.flag], this.config.flag, request),
    )
  }

  shiftTraffic(request: DeployRequest, percent: number, ctx: TargetContext): Promise<StepOutcome> {
    return this.edit(ctx, (file) => shiftEdit(file, this.config.flag, request, percent))
  }

  rollback(
    _from: ReleaseManifest,
    to: ReleaseManifest | null,
    ctx: TargetContext,
  ): Promise<StepOutcome> {
    return this.edit(ctx, () => rollbackEdit(to))
  }

  url(_ctx: TargetContext): Promise<string | null> {
    return Promise.resolve(this.config.url ?? null)
  }

  private path(ctx: TargetContext): string {
    return resolve(ctx.cwd, this.config.file)
  }

  /**
   * The plan's lines about the code: a warning when it is not known to be the same (or when
   * `onCodeChange: warn`), and a usage error (a deploy that cannot work, stopped before anything
   * changes) when it differs.
   */
  private codeCheck(request: DeployRequest): string[] {
    const code = checkCode(request.release, request.previous)
    if (code.kind === 'same') return []
    if (code.kind === 'changed' && this.config.onCodeChange === 'refuse') {
      throw usageError(code.message, code.hint)
    }
    const warning = code.kind === 'changed' ? `${code.message} (onCodeChange: warn)` : code.warning
    return [`! warning: ${warning}`]
  }

  /** Reads the file, applies `edit` to the flag, writes the file back atomically. */
  private async edit(ctx: TargetContext, edit: (file: FlagFile) => FlagEdit): Promise<StepOutcome> {
    const path = this.path(ctx)
    const read = await readFlagFile(path)
    if (!read.ok) return { ok: false, reason: read.reason }
    const next = edit(read.file)
    if (!next.ok) return { ok: false, reason: next.reason }
    try {
      await writeFlagFile(path, withFlag(read.file, this.config.flag, next.flag))
    } catch (error) {
      return { ok: false, reason: `cannot write ${path}: ${errorMessage(error)}` }
    }
    const detail = `${this.config.file}: flag '${this.config.flag}': ${next.summary}`
    this.logger.info(`wrote ${detail}`)
    return { ok: true, detail }
  }
}
