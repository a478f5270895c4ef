import { label } from '../../workflows/deploy/events.js'
import { rollback } from '../../workflows/deploy/rollback.js'
import type { ReleasePart } from '../../contracts/release.js'
import { usageError } from '../../errors.js'
import { table } from '../../reporters/format.js'
import type { RollbackFlags } from '../cd-program.js'
import { EXIT, type CommandIO } from '../io.js'

const PARTS = ['code', 'prompt', 'model'] as const

/** `shipgate rollback TARGET`: exit 0 when every part went back, 1 when one failed. */
export async function runRollbackCommand(
  target: string,
  flags: RollbackFlags,
  io: CommandIO,
): Promise<number> {
  const only = flags.only === undefined || flags.only === 'all' ? undefined : part(flags.only)
  const report = await rollback({
    cwd: io.cwd,
    env: io.env,
    logger: io.logger.child('rollback'),
    signal: io.signal,
    target,
    ...(flags.config === undefined ? {} : { configFile: flags.config }),
    ...(flags.to === undefined ? {} : { to: flags.to }),
    ...(only === undefined ? {} : { only }),
  })
  if (flags.json === true) {
    io.stdout(
      `${JSON.stringify({ ok: report.ok, from: report.from.id, to: report.to.id, parts: report.parts, deployment: report.deployment }, null, 2)}\n`,
    )
  } else {
    const rows = report.parts.map((p) => [p.part, p.status, p.detail])
    io.stdout(
      `${target}: ${label(report.from)} → ${label(report.to)}\n${table([['part', 'result', 'what'], ...rows])}\n${report.ok ? 'rolled back' : 'ROLLBACK INCOMPLETE'}\n`,
    )
  }
  return report.ok ? EXIT.ok : EXIT.negative
}

function part(value: string): ReleasePart {
  if ((PARTS as readonly string[]).includes(value)) return value as ReleasePart
  throw usageError(`--only ${value} is not a part`, 'use --only code, prompt, model or all')
}
